import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Counts passed/failed/skipped tests over every session so `npm test` can print one closing line. */
export function countingReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, errors: 0 };
      const walk = (suite) => {
        for (const test of suite?.tests ?? []) {
          if (test.skipped) counts.skipped++;
          else if (test.passed) counts.passed++;
          else counts.failed++;
        }
        for (const child of suite?.suites ?? []) walk(child);
      };
      for (const session of sessions) {
        walk(session.testResults);
        // A file that fails to load has no test results but must count as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.errors += session.errors.length;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}
