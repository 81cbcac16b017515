/**
 * The sandbox: an in-process fake of the Quipteams device-action API for demos, tests and
 * benchmarks. It depends on nothing else in the application and parses requests on its own, so a
 * client bug cannot hide behind shared code.
 */
package dev.bulkoffboarding.sandbox;
