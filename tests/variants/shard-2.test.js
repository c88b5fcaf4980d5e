// Shard 2 of the variant suite (see suite.js).
import { defineVariantSuite } from './suite.js';

defineVariantSuite(2, 2);
