// The notes budget of map-reduce: notes cost generation (far slower per token than reading), and
// the answer reads at most one context of them, so each part's notes are its share of that room,
// within a floor (a line) and a cap (1/32 of the context, at most 256 tokens).
import { describe, expect, it } from 'vitest';
import { finalNotesRoom, notesBudget } from '../../src/engine/inputs/offload.js';

const CTX = 4096;
const FIXED = 330; // instruction, map wording and template beside each part
const room = finalNotesRoom(CTX, 20, 512);

describe('notesBudget', () => {
  it('gives few parts notes up to 1/32 of the context, and leaves the rest of the context to the part', () => {
    const b = notesBudget(10_000, CTX, FIXED, room);
    expect(b.noteTokens).toBe(CTX / 32);
    expect(b.partBudget).toBe(CTX - FIXED - b.noteTokens);
    expect(b.parts).toBe(3);
  });

  it('shortens the notes as the parts grow in number, so that all of them fit the final request', () => {
    const few = notesBudget(150_000, CTX, FIXED, room);
    const more = notesBudget(300_000, CTX, FIXED, room);
    expect(few.noteTokens).toBeLessThan(CTX / 32);
    expect(more.noteTokens).toBeLessThan(few.noteTokens);
    for (const b of [few, more]) {
      // Notes and a header of 8 tokens each, from every part, fit the final request's room.
      expect(b.parts * (b.noteTokens + 8)).toBeLessThanOrEqual(room);
      // Shorter notes leave the room to the parts.
      expect(b.partBudget).toBe(CTX - FIXED - b.noteTokens);
    }
  });

  it('keeps at least a line of notes per part however many parts there are (they are combined before the answer)', () => {
    const b = notesBudget(4_000_000, CTX, FIXED, room);
    expect(b.noteTokens).toBe(16);
    expect(b.parts).toBeGreaterThan(1000);
    expect(b.parts * b.noteTokens).toBeGreaterThan(room);
  });

  it('a small context caps the notes at 1/32 of it', () => {
    const b = notesBudget(3_000, 1024, 300, finalNotesRoom(1024, 10, 32));
    expect(b.noteTokens).toBe(32);
  });
});
