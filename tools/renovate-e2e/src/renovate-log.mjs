// Reading Renovate's JSON log (LOG_FORMAT=json, one object a line): the branches that a run in
// lookup mode would create, from its "packageFiles with updates" record and its prTitle traces.

/** The log's records, parsed; lines that are not JSON objects (npm's own output) are skipped. */
export function parseLog(text) {
  const records = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // not a record
    }
  }
  return records;
}

/**
 * The branches of the run as `Map<branchName, { updates: [{ depName, currentValue, newVersion,
 * updateType, packageFile }] }>`, from the "packageFiles with updates" record; throws when the
 * log has none (the run did not reach the lookup).
 */
export function branchesFromLog(records) {
  const record = records.find((r) => r.msg === 'packageFiles with updates');
  if (!record)
    throw new Error('the log has no "packageFiles with updates" record');
  const branches = new Map();
  for (const [manager, files] of Object.entries(record.config ?? {}))
    for (const file of files)
      for (const dep of file.deps ?? [])
        for (const update of dep.updates ?? []) {
          const branch = branches.get(update.branchName) ?? { updates: [] };
          branch.updates.push({
            manager,
            packageFile: file.packageFile,
            depName: dep.depName,
            depType: dep.depType,
            currentValue: dep.currentValue,
            newVersion: update.newVersion,
            updateType: update.updateType,
          });
          branches.set(update.branchName, branch);
        }
  return branches;
}

/** The pull request titles Renovate computed (its `prTitle: "..."` trace records), deduplicated. */
export function prTitlesFromLog(records) {
  const titles = new Set();
  for (const { msg } of records) {
    const match = /^prTitle: (".*")$/.exec(msg ?? '');
    if (match) titles.add(JSON.parse(match[1]));
  }
  return [...titles];
}
