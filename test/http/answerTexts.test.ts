import t from 'tap';
import { AnswerTexts } from '../../src/http/answerTexts.js';

t.test('a text is found by its language and key, and only by them', async (t) => {
  const texts = new AnswerTexts(1000);
  const key = AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'zip', null);
  texts.set(undefined, key, 'a');
  t.equal(texts.get(undefined, key), 'a');
  t.equal(texts.get('es', key), undefined, 'another language');
  t.equal(
    texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b100 }, 'zip', null)),
    undefined,
    'another open mask',
  );
  t.equal(
    texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'zip3', null)),
    undefined,
    'another method',
  );
  t.equal(
    texts.get(undefined, AnswerTexts.key({ placement: 7, openMask: 0b101 }, 'prefix', 6)),
    undefined,
    'another prefix length',
  );
  t.equal(
    texts.get(undefined, AnswerTexts.key({ placement: 8, openMask: 0b101 }, 'zip', null)),
    undefined,
    'another placement',
  );
});

t.test('keys stay distinct at the largest placement and mask', async (t) => {
  const big = AnswerTexts.key({ placement: 131_071, openMask: 2 ** 25 - 1 }, 'location', 7);
  t.ok(Number.isSafeInteger(big));
  t.not(big, AnswerTexts.key({ placement: 131_071, openMask: 2 ** 25 - 2 }, 'location', 7));
});

t.test('a full generation keeps its texts and admits no more until the next generation', async (t) => {
  const texts = new AnswerTexts(30, 1000); // three 10-character texts per generation, and no new generation in this test
  const text = (i: number) => String(i).padStart(10, '-');
  for (let i = 0; i < 4; i++) texts.set(undefined, i, text(i));
  t.equal(texts.get(undefined, 3), undefined, 'the fourth text found no room');
  t.same(
    [0, 1, 2].map((i) => texts.get(undefined, i)),
    [0, 1, 2].map(text),
    'the first three stayed',
  );
  // Callers met in turn over more places than fit: the kept texts keep answering.
  for (let i = 0; i < 5; i++) if (texts.get(undefined, i) === undefined) texts.set(undefined, i, text(i));
  t.equal(texts.get(undefined, 0), text(0), 'still kept after a scan over more texts than fit');
});

t.test('a new generation begins every so many lookups; a text in use moves forward and stays', async (t) => {
  const texts = new AnswerTexts(30, 4);
  const text = (i: number) => String(i).padStart(10, '-');
  texts.set(undefined, 0, text(0));
  texts.set(undefined, 1, text(1));
  for (let i = 0; i < 3; i++) t.equal(texts.get(undefined, 1), text(1)); // lookups 1-3
  t.equal(
    texts.get(undefined, 0),
    text(0),
    'lookup 4 begins generation 2: 0 is found in the previous one and moves forward',
  );
  texts.set(undefined, 2, text(2));
  for (let i = 0; i < 3; i++) texts.get(undefined, 9); // lookups 1-3 of generation 2
  t.equal(texts.get(undefined, 2), text(2), 'lookup 4 begins generation 3: 2 moves forward');
  t.equal(texts.get(undefined, 0), text(0), '0 was moved forward in generation 2, so it is still found');
  t.equal(texts.get(undefined, 1), undefined, '1 was not asked for in generation 2, so it is gone');
});
