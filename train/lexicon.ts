/**
 * The lexicon baselines, scored on the same reviews as the model: AFINN (the `sentiment` package) and VADER
 * (`vader-sentiment`). Both see the review with HTML tags removed, as the model does; a score >= 0 counts as
 * positive (their neutral zero has to go one way, and IMDB has no neutral class).
 */
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import { HTML_TAG } from '../src/tokenizer/index.ts';

const afinn = new Sentiment();
const analyzer = vader.SentimentIntensityAnalyzer;

export interface LexiconScorer {
  name: string;
  /** A polarity score: >= 0 means positive; 0.5 is added by callers that need a probability-like threshold. */
  score(text: string): number;
}

export const LEXICONS: LexiconScorer[] = [
  { name: 'afinn', score: (text) => afinn.analyze(text.replace(HTML_TAG, ' ')).comparative },
  { name: 'vader', score: (text) => analyzer.polarity_scores(text.replace(HTML_TAG, ' ')).compound },
];
