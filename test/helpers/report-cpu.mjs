/**
 * Preloaded (`node --import`) into inc by the pathological corpus test: on exit it writes the
 * process's own CPU time in milliseconds (user + system) to the file INC_TEST_CPU_FILE names.
 * CPU time, unlike the clock on the wall, does not grow when other processes load the machine.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.INC_TEST_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, `${(user + system) / 1000}\n`);
  });
}
