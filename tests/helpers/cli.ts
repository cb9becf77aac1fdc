/** Runs main.ts in a fresh Deno process, as a user would, for the command-line tests. */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** What a command printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno run -A main.ts ...args` with this Deno, and `env` added to the environment.
 *
 * @param args the command line after main.ts
 * @param env extra environment variables (e.g. MAHLER_CACHE_DIR)
 * @param cwd working folder (default this process's)
 * @returns exit code, stdout and stderr as text
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}
