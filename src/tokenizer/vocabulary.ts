import { TOKENIZER_VERSION } from './normalize.ts';

export const PAD_ID = 0;
export const UNK_ID = 1;
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';

/** The vocabulary file (`model/vocab.json`): `words[id]` is the word with that id. */
export interface VocabularyFile {
  tokenizerVersion: string;
  padId: number;
  unkId: number;
  /** Whether words in a negation scope are marked (splitWords' markNegation); absent means false. */
  markNegation?: boolean;
  /** words[0] = PAD_TOKEN, words[1] = UNK_TOKEN, then the most frequent training words, most frequent first. */
  words: string[];
}

export class TokenizerVersionError extends Error {
  constructor(found: string) {
    super(
      `The vocabulary was built by tokenizer "${found}" but this code is tokenizer "${TOKENIZER_VERSION}". ` +
        'Retrain the model (npm run train) or check out the code the model was trained with.',
    );
    this.name = 'TokenizerVersionError';
  }
}

/** Word <-> id lookup, built from a vocabulary file after checking it was made by this tokenizer. */
export class Vocabulary {
  readonly size: number;
  readonly markNegation: boolean;
  private readonly ids: Map<string, number>;

  constructor(readonly file: VocabularyFile) {
    if (file.tokenizerVersion !== TOKENIZER_VERSION) throw new TokenizerVersionError(file.tokenizerVersion);
    if (
      file.padId !== PAD_ID ||
      file.unkId !== UNK_ID ||
      file.words[PAD_ID] !== PAD_TOKEN ||
      file.words[UNK_ID] !== UNK_TOKEN
    ) {
      throw new Error(`The vocabulary must start with ${PAD_TOKEN} (id ${PAD_ID}) and ${UNK_TOKEN} (id ${UNK_ID}).`);
    }
    this.size = file.words.length;
    this.markNegation = file.markNegation === true;
    this.ids = new Map(file.words.map((word, id) => [word, id]));
  }

  idOf(word: string): number {
    return this.ids.get(word) ?? UNK_ID;
  }
}

/**
 * Builds a vocabulary of the `maxSize` ids (counting padding and unknown) from word counts: most frequent first,
 * ties broken alphabetically so the result does not depend on the order the texts were read in.
 */
export function buildVocabulary(
  wordLists: Iterable<readonly string[]>,
  maxSize: number,
  options: { markNegation?: boolean } = {},
): VocabularyFile {
  const counts = new Map<string, number>();
  for (const words of wordLists) for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const words = [PAD_TOKEN, UNK_TOKEN, ...ranked.slice(0, Math.max(0, maxSize - 2)).map(([word]) => word)];
  return {
    tokenizerVersion: TOKENIZER_VERSION,
    padId: PAD_ID,
    unkId: UNK_ID,
    ...(options.markNegation ? { markNegation: true } : {}),
    words,
  };
}
