// Shard 1 of the variant suite (see suite.js).
import { defineVariantSuite } from './suite.js';

defineVariantSuite(1, 2);
