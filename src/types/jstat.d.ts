// jstat ships no type declarations; src/experiments/interval.ts types the few functions it uses.
declare module 'jstat';
