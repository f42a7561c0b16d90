/** The API's input limits (part of the contract, not of the model). */
export const LIMITS = {
  /** Characters (UTF-16 code units) in one review. */
  maxTextChars: 20_000,
  /** Reviews in one batch request. */
  maxTexts: 64,
  /** Bytes in one request body. */
  maxBodyBytes: 256 * 1024,
} as const;
