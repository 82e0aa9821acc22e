import t from 'tap';
import { AnswerTexts } from '../../src/http/answerTexts.js';

t.test('a text is found by its language and key, and only by them', async (t) => {
  const texts = new AnswerTexts(1000);
  const key = AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'zip', null);
  texts.set(undefined, key, 'a');
  t.equal(texts.get(undefined, key), 'a');
  t.equal(texts.get('es', key), undefined, 'another language');
  t.equal(texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b100 }, 'zip', null)), undefined, 'another open mask');
  t.equal(texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'zip3', null)), undefined, 'another method');
  t.equal(texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'prefix', 6)), undefined, 'another prefix length');
  t.equal(texts.get(undefined, AnswerTexts.key({ placement: 8, openMask: 0b101 }, 'zip', null)), undefined, 'another placement');
});

t.test('keys stay distinct at the largest placement and mask', async (t) => {
  const big = AnswerTexts.key({ placement: 131_071, openMask: 2 ** 25 - 1 }, 'location', 7);
  t.ok(Number.isSafeInteger(big));
  t.not(big, AnswerTexts.key({ placement: 131_071, openMask: 2 ** 25 - 2 }, 'location', 7));
});

t.test('past the budget the oldest generation goes; a text in use moves forward and stays', async (t) => {
  const texts = new AnswerTexts(30); // three 10-character texts per generation
  const text = (i: number) => String(i).padStart(10, '-');
  for (let i = 0; i < 3; i++) texts.set(undefined, i, text(i));
  texts.set(undefined, 3, text(3)); // generation 2 begins; 0-2 are the previous one
  t.equal(texts.get(undefined, 0), text(0), 'found in the previous generation, and moved forward');
  texts.set(undefined, 4, text(4)); // generation 2 is full: 3, 0, 4
  texts.set(undefined, 5, text(5)); // generation 3 begins; 1 and 2 are gone
  t.equal(texts.get(undefined, 1), undefined);
  t.equal(texts.get(undefined, 2), undefined);
  t.equal(texts.get(undefined, 0), text(0), 'the text in use survived');
  t.equal(texts.get(undefined, 5), text(5));
});
