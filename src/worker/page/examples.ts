/** Reviews offered on the page as one-click examples (each is a small form, so they work without JavaScript). */
export const EXAMPLE_REVIEWS: readonly string[] = [
  'A wonderful, warm film. The acting is superb, the script is sharp and funny, and I loved every minute of it.',
  'Two hours of my life I will never get back. The plot makes no sense, the dialogue is wooden and the ending is ' +
    'a joke.',
  'The first half drags and some of the acting is stiff, but the last act is gripping and beautifully shot. ' +
    'Worth a look.',
  'I expected to hate it, but it was actually one of the best thrillers I have seen in years.',
];
