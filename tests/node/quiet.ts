/**
 * Setup for every Node test file: TensorFlow.js warns once per process that tfjs-node would be faster; the
 * tests use its pure-JS and wasm backends on purpose, so the warning is noise (IS_TEST silences tfjs's warnings).
 */
import * as tf from '@tensorflow/tfjs';

tf.env().set('IS_TEST', true);
