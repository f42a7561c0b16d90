export { type Encoded, type EncodeOptions, encode, type Truncation, truncateWords } from './encode.ts';
export {
  HTML_TAG,
  NEGATED_PREFIX,
  normalize,
  RAW_WORD,
  type ReadWord,
  readWords,
  type SplitOptions,
  splitWords,
  TOKENIZER_VERSION,
  tokenOf,
} from './normalize.ts';
export {
  buildVocabulary,
  PAD_ID,
  PAD_TOKEN,
  TokenizerVersionError,
  UNK_ID,
  UNK_TOKEN,
  Vocabulary,
  type VocabularyFile,
} from './vocabulary.ts';
