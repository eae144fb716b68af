/**
 * Preloaded by the benchmark (`node --import ./scripts/report-maxrss.mjs bin/inc.js stats`) to
 * measure the peak memory of the real, unmodified binary: when the process exits it writes
 * process.resourceUsage().maxRSS (the kernel's ru_maxrss, in KiB: the same figure GNU
 * `/usr/bin/time -f %M` prints) to the file named by INC_BENCH_MAXRSS_FILE. Chosen over
 * /usr/bin/time because it needs nothing but node, on every platform.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.INC_BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
  });
}
