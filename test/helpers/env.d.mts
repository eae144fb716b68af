export function testEnvironment(home: string, now: string): Record<string, string>;
