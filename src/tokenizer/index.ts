export {
  TOKENIZER_VERSION,
  HTML_TAG,
  NEGATED_PREFIX,
  RAW_WORD,
  normalize,
  readWords,
  splitWords,
  tokenOf,
  type ReadWord,
  type SplitOptions,
} from './normalize.ts';
export { PAD_ID, UNK_ID, PAD_TOKEN, UNK_TOKEN, Vocabulary, TokenizerVersionError, buildVocabulary, type VocabularyFile } from './vocabulary.ts';
export { encode, truncateWords, type Encoded, type EncodeOptions, type Truncation } from './encode.ts';
