/**
 * Writes test/artifacts/summary.json with the counts of the run, which .ci/run reads for its
 * last line (CI does not parse jest's own output).
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '..', 'artifacts');
    mkdirSync(dir, { recursive: true });
    const failedSuites = results.testResults
      .filter((r) => r.testExecError || r.failureMessage)
      .map((r) => r.testFilePath);
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify(
        {
          passed: results.numPassedTests,
          failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
          pending: results.numPendingTests,
          failedSuites,
        },
        null,
        2,
      ),
    );
  }
}

module.exports = SummaryReporter;
