/**
 * Error names kms-local answers with, as the real AWS KMS spells them, with
 * the HTTP status code the real service uses (from the KMS Smithy model;
 * common AWS JSON errors such as ThrottlingException and ValidationException
 * are 400).
 */
export const KMS_ERROR_STATUS = {
  AccessDeniedException: 400,
  AlreadyExistsException: 409,
  DependencyTimeoutException: 503,
  DisabledException: 409,
  IncorrectKeyException: 400,
  InvalidAliasNameException: 400,
  InvalidCiphertextException: 400,
  InvalidMarkerException: 400,
  KMSInternalException: 500,
  KMSInvalidStateException: 409,
  NotFoundException: 404,
  SerializationException: 400,
  ThrottlingException: 400,
  UnknownOperationException: 400,
  ValidationException: 400,
} as const;

/** A KMS error name that kms-local can answer with (and inject as a fault). */
export type KmsErrorName = keyof typeof KMS_ERROR_STATUS;

/** An error answered on the wire as `{"__type": name, "message": message}`. */
export class KmsException extends Error {
  readonly type: KmsErrorName;
  readonly status: number;

  constructor(type: KmsErrorName, message: string) {
    super(message);
    this.type = type;
    this.status = KMS_ERROR_STATUS[type];
  }
}

/** Whether `name` is an error name kms-local knows. */
export function isKmsErrorName(name: string): name is KmsErrorName {
  return Object.hasOwn(KMS_ERROR_STATUS, name);
}
