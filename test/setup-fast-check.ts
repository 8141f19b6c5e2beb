import fc from 'fast-check';

// fast-check's default size ('small') draws arrays of at most ~10 elements whatever their maxLength
// says: property tests written for sequences of hundreds of operations (hash tables, eviction
// queues, holder lists) were checking ten. 'medium' draws up to min(maxLength, ~100).
fc.configureGlobal({ baseSize: 'medium' });
