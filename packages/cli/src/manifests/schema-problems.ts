import type { DocumentProblem, KubernetesModel } from './kubernetes-model.js';
import { pointerToken } from './manifest-problem.js';

/** One error of the ajv validator inside a kubernetes-models class. */
interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Schema violations and undeclared fields of one document, validated strictly like
 * `kubectl apply`: besides types, required fields and enums, a field the schema does not declare
 * (a typo) is a problem. kubernetes-models' validators accept unknown fields, so the check
 * records which properties the validator looks up on each object (it looks up every property
 * its schema declares) and reports any other key; an object whose keys the validator enumerates
 * is a map (labels, resources) and takes any key.
 */
export function schemaProblems(
  doc: object,
  model: KubernetesModel,
): DocumentProblem[] {
  const declared = new Map<string, Set<string>>(); // object pointer -> properties the validator looked up
  const maps = new Set<string>(); // object pointers whose keys the validator enumerated
  const watch = (value: unknown, path: string): unknown =>
    value === null || typeof value !== 'object'
      ? value
      : new Proxy(value, {
          get(target, key, receiver) {
            if (typeof key !== 'string')
              return Reflect.get(target, key, receiver);
            declared.set(path, (declared.get(path) ?? new Set()).add(key));
            return watch(
              Reflect.get(target, key, receiver),
              `${path}/${pointerToken(key)}`,
            );
          },
          ownKeys(target) {
            maps.add(path);
            return Reflect.ownKeys(target);
          },
        });

  const problems: DocumentProblem[] = [];
  try {
    model.prototype.validate.call(watch(doc, ''));
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    for (const e of errors) {
      const allowed = e.params?.['allowedValues'] as unknown[] | undefined;
      problems.push({
        pointer: e.instancePath,
        message: `${e.message ?? 'invalid'}${allowed ? ` (${allowed.join(', ')})` : ''}`,
      });
    }
  }
  const undeclared = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => undeclared(item, `${path}/${i}`));
      return;
    }
    if (maps.has(path)) return;
    for (const [key, child] of Object.entries(value)) {
      const pointer = `${path}/${pointerToken(key)}`;
      if (declared.get(path)?.has(key)) undeclared(child, pointer);
      else
        problems.push({
          pointer,
          message: `unknown field (not in the ${model.apiVersion} ${model.kind} schema)`,
        });
    }
  };
  undeclared(doc, '');
  return problems;
}
