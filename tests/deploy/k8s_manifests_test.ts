/**
 * The Kubernetes manifests of deploy/k8s: valid against the Kubernetes API schema
 * (kubernetes-models' validators, generated from the Kubernetes OpenAPI specification), free of
 * fields the API does not know (type-checked against the same package's TypeScript types), with
 * what an Indexed Job needs, consistent parameters, and container commands that hand `optimize`
 * the right arguments (run with a stand-in npx). With kubectl installed, the kustomization is
 * rendered with another N and checked too.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, PersistentVolumeClaim, Pod } from "kubernetes-models/v1";
import { parseAllDocuments } from "yaml";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const K8S = join(ROOT, "deploy/k8s");
const FILES = ["storage.yaml", "loader-pod.yaml", "optimize-job.yaml", "merge-job.yaml"];

// A loose view of the parsed manifests, enough for the checks below.
// deno-lint-ignore no-explicit-any
type Manifest = Record<string, any>;

/** Every YAML document of a text; a syntax error or warning fails the test. */
function parseYaml(text: string, where: string): Manifest[] {
  return parseAllDocuments(text).map((doc, i) => {
    assert.deepEqual(doc.errors.map(String), [], `${where} document ${i + 1}: YAML errors`);
    assert.deepEqual(doc.warnings.map(String), [], `${where} document ${i + 1}: YAML warnings`);
    return doc.toJS() as Manifest;
  });
}

function load(file: string): Manifest[] {
  return parseYaml(readFileSync(join(K8S, file), "utf8"), file);
}

const manifests = FILES.flatMap(load);
const kustomization = load("kustomization.yaml")[0];
const byName = (kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata?.name === name);
  assert.ok(found, `${kind} ${name} in deploy/k8s`);
  return found;
};
const shardJob = byName("Job", "mahler-optimize");
const mergeJob = byName("Job", "mahler-merge");
const pvc = byName("PersistentVolumeClaim", "mahler-work");
/** The parameters of the run: the ConfigMap literals of kustomization.yaml. */
const params: Record<string, string> = Object.fromEntries(
  (kustomization.configMapGenerator[0].literals as string[]).map((l) => {
    const at = l.indexOf("=");
    return [l.slice(0, at), l.slice(at + 1)];
  }),
);

/** Validates one object against the API schema of its kind; throws the validator's error. */
function validateSchema(m: Manifest): void {
  const models: Record<string, { new (data: never): { validate(): void } }> = {
    "batch/v1 Job": Job,
    "v1 Pod": Pod,
    "v1 PersistentVolumeClaim": PersistentVolumeClaim,
    "v1 ConfigMap": ConfigMap,
  };
  const model = models[`${m.apiVersion} ${m.kind}`];
  assert.ok(model, `no schema for ${m.apiVersion} ${m.kind}`);
  new model(m as never).validate();
}

/** TypeScript interface of kubernetes-models for a kind, for the strict check. */
const INTERFACES: Record<string, string> = {
  Job: "IJob",
  Pod: "IPod",
  PersistentVolumeClaim: "IPersistentVolumeClaim",
  ConfigMap: "IConfigMap",
};

/**
 * Type-checks objects as object literals of their kubernetes-models interfaces, so that any
 * field the API does not know is an excess-property error. `broken` objects carry
 * `@ts-expect-error`: if one of them type-checks, the check itself fails.
 */
async function typeCheck(objects: Manifest[], broken: Manifest[] = []): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "mahler-k8s-types-"));
  try {
    const lines = [
      `import type { IJob } from "kubernetes-models/batch/v1";`,
      `import type { IConfigMap, IPersistentVolumeClaim, IPod } from "kubernetes-models/v1";`,
    ];
    const declare = (m: Manifest, i: number, expectError: boolean) => {
      if (expectError) lines.push("// @ts-expect-error: a field the API does not know");
      lines.push(`export const m${i}: ${INTERFACES[m.kind]} = ${JSON.stringify(m)};`);
    };
    objects.forEach((m, i) => declare(m, i, false));
    broken.forEach((m, i) => declare(m, objects.length + i, true));
    const file = join(dir, "manifests.ts");
    writeFileSync(file, lines.join("\n") + "\n");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", join(ROOT, "deno.json"), file],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `type check of the manifests failed:\n${text.slice(-3000)}`);
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a container's command with a stand-in npx on the PATH; returns npx's arguments. */
async function npxArguments(job: Manifest, env: Record<string, string>): Promise<string[]> {
  const container = job.spec.template.spec.containers[0];
  const dir = mkdtempSync(join(tmpdir(), "mahler-k8s-cmd-"));
  try {
    const argsFile = join(dir, "npx-args");
    writeFileSync(join(dir, "npx"), `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}"\n`, {
      mode: 0o755,
    });
    const [program, ...rest] = [...container.command, ...container.args] as string[];
    const out = await new Deno.Command(program, {
      args: rest,
      cwd: dir,
      clearEnv: true,
      env: { ...env, PATH: `${dir}:/usr/bin:/bin` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return readFileSync(argsFile, "utf8").split("\n").slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function kubectlAvailable(): boolean {
  try {
    return new Deno.Command("kubectl", { args: ["version", "--client"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

Deno.test("every manifest validates against the Kubernetes API schema", () => {
  assert.equal(manifests.length, 4);
  for (const m of manifests) validateSchema(m);
  // The validator does reject what the API would: a string count, an unknown completion mode.
  const wrongType = structuredClone(shardJob);
  wrongType.spec.completions = "4";
  assert.throws(() => validateSchema(wrongType), /completions must be integer/);
  const wrongMode = structuredClone(shardJob);
  wrongMode.spec.completionMode = "Index";
  assert.throws(() => validateSchema(wrongMode), /completionMode must be equal to one of/);
});

Deno.test("no manifest has a field the Kubernetes API does not know", async () => {
  const misspelled = structuredClone(shardJob);
  misspelled.spec.completion = misspelled.spec.completions;
  delete misspelled.spec.completions;
  const nested = structuredClone(mergeJob);
  nested.spec.template.spec.containers[0].workdir = "/mahler/app";
  await typeCheck(manifests, [misspelled, nested]);
});

Deno.test("the Indexed Job has what the API and --shard auto need", () => {
  assert.equal(shardJob.apiVersion, "batch/v1");
  assert.equal(shardJob.kind, "Job");
  const spec = shardJob.spec;
  assert.equal(spec.completionMode, "Indexed");
  assert.equal(spec.completions, Number(params.MAHLER_SHARD_COUNT), "completions = N");
  assert.equal(spec.parallelism, Number(params.MAHLER_PARALLELISM));
  assert.ok(Number.isInteger(spec.completions) && spec.completions >= 1);
  assert.ok(Number.isInteger(spec.parallelism) && spec.parallelism >= 1);
  // backoffLimitPerIndex needs the Never restart policy.
  assert.equal(spec.template.spec.restartPolicy, "Never");
  const [container] = spec.template.spec.containers;
  assert.equal(spec.template.spec.containers.length, 1);
  assert.ok(container.image, "image");
  assert.ok(container.command?.length && container.args?.length, "command and args");
  assert.match(container.args[0], /--shard auto/);
  assert.match(container.args[0], /\$JOB_COMPLETION_INDEX/);
  for (const key of ["MAHLER_SHARD_COUNT", "MAHLER_CONFIG", "MAHLER_DATA", "MAHLER_OUT"]) {
    assert.ok(params[key], `${key} is a parameter`);
  }
});

Deno.test("the merge Job starts suspended, once, on the same parameters", () => {
  const spec = mergeJob.spec;
  assert.equal(spec.suspend, true, "resumed only after the shards completed");
  assert.equal(spec.completions, 1);
  assert.equal(spec.completionMode ?? "NonIndexed", "NonIndexed");
  assert.ok(["Never", "OnFailure"].includes(spec.template.spec.restartPolicy));
  const [container] = spec.template.spec.containers;
  assert.ok(container.image, "image");
  assert.match(container.args[0], /--merge/);
  assert.deepEqual(
    container.envFrom,
    shardJob.spec.template.spec.containers[0].envFrom,
    "the shards' parameters",
  );
});

Deno.test("volumes, claims and the parameters' ConfigMap are consistent", () => {
  assert.deepEqual(pvc.spec.accessModes, ["ReadWriteMany"], "shared by pods on several nodes");
  const generator = kustomization.configMapGenerator[0];
  assert.equal(generator.options?.disableNameSuffixHash, true);
  assert.deepEqual(kustomization.resources, ["optimize-job.yaml", "merge-job.yaml"]);
  for (const m of manifests.filter((x) => x.kind === "Job" || x.kind === "Pod")) {
    const podSpec = m.kind === "Pod" ? m.spec : m.spec.template.spec;
    const volumes = new Map<string, Manifest>(podSpec.volumes.map((v: Manifest) => [v.name, v]));
    for (const c of podSpec.containers) {
      for (const mount of c.volumeMounts) {
        assert.ok(volumes.has(mount.name), `${m.metadata.name}: mount ${mount.name} has a volume`);
        assert.equal(mount.mountPath, "/mahler");
      }
      for (const from of c.envFrom ?? []) {
        assert.equal(from.configMapRef.name, generator.name, `${m.metadata.name}: ConfigMap`);
      }
      const env = new Map<string, string>(c.env.map((e: Manifest) => [e.name, e.value]));
      assert.equal(env.get("DENO_DIR"), "/mahler/cache/deno", `${m.metadata.name}: DENO_DIR`);
      assert.equal(env.get("npm_config_cache"), "/mahler/cache/npm");
    }
    for (const v of volumes.values()) {
      assert.equal(v.persistentVolumeClaim?.claimName, pvc.metadata.name, `${m.metadata.name}`);
    }
  }
  // The replacements that carry N and the parallelism into the Indexed Job.
  const targets = kustomization.replacements.map((r: Manifest) => [
    r.source.fieldPath,
    r.targets[0].select.name,
    r.targets[0].fieldPaths[0],
  ]);
  assert.deepEqual(targets, [
    ["data.MAHLER_SHARD_COUNT", "mahler-optimize", "spec.completions"],
    ["data.MAHLER_PARALLELISM", "mahler-optimize", "spec.parallelism"],
  ]);
});

Deno.test("shard 2 of 4 runs optimize --shard auto into shard-2", async () => {
  const args = await npxArguments(shardJob, { ...params, JOB_COMPLETION_INDEX: "2" });
  assert.deepEqual(args, [
    "--yes",
    "deno@2.9.6",
    "run",
    "-A",
    "main.ts",
    "optimize",
    "--config",
    params.MAHLER_CONFIG,
    "--data",
    params.MAHLER_DATA,
    "--shard",
    "auto",
    "--workers",
    params.MAHLER_WORKERS,
    "--out",
    `${params.MAHLER_OUT}/shard-2`,
  ]);
});

Deno.test("the merge runs optimize --merge on the N shard folders", async () => {
  const prefix = ["--yes", "deno@2.9.6", "run", "-A", "main.ts", "optimize", "--merge"];
  const out = params.MAHLER_OUT;
  assert.deepEqual(await npxArguments(mergeJob, params), [
    ...prefix,
    ...[0, 1, 2, 3].map((i) => `${out}/shard-${i}`),
    "--out",
    `${out}/merged`,
  ]);
  assert.deepEqual(await npxArguments(mergeJob, { ...params, MAHLER_SHARD_COUNT: "1" }), [
    ...prefix,
    `${out}/shard-0`,
    "--out",
    `${out}/merged`,
  ]);
});

Deno.test({
  name: "kubectl kustomize carries another N into completions, parallelism and the ConfigMap",
  ignore: !kubectlAvailable(),
  fn: async () => {
    const dir = mkdtempSync(join(tmpdir(), "mahler-kustomize-"));
    try {
      cpSync(K8S, dir, { recursive: true });
      const file = join(dir, "kustomization.yaml");
      writeFileSync(
        file,
        readFileSync(file, "utf8")
          .replace("MAHLER_SHARD_COUNT=4", "MAHLER_SHARD_COUNT=7")
          .replace("MAHLER_PARALLELISM=4", "MAHLER_PARALLELISM=3"),
      );
      const out = await new Deno.Command("kubectl", {
        args: ["kustomize", dir],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const rendered = parseYaml(new TextDecoder().decode(out.stdout), "kubectl kustomize");
      assert.deepEqual(rendered.map((m) => `${m.kind} ${m.metadata.name}`).sort(), [
        "ConfigMap mahler-optimize",
        "Job mahler-merge",
        "Job mahler-optimize",
      ]);
      for (const m of rendered) validateSchema(m);
      await typeCheck(rendered);
      const job = rendered.find((m) => m.kind === "Job" && m.metadata.name === "mahler-optimize")!;
      assert.equal(job.spec.completions, 7);
      assert.equal(job.spec.parallelism, 3);
      const config = rendered.find((m) => m.kind === "ConfigMap")!;
      assert.equal(config.data.MAHLER_SHARD_COUNT, "7");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
