/**
 * Starts and stops a local `moto_server` (the AWS emulator the end-to-end tests and the demo
 * use), on a free loopback port, and switches its IAM enforcement on and off.
 *
 * moto facts this module relies on (moto 5.2.1):
 * - `POST /moto-api/reset-auth` with the plain-text body `0` turns IAM enforcement on (signatures
 *   and identity policies are checked from the next request on); `inf` turns it off. The body
 *   must not be form-encoded (curl's `-d` default), or moto reads an empty string and answers 500.
 * - `POST /moto-api/reset` wipes every backend but leaves the enforcement setting as it was.
 * - `MOTO_ACCOUNT_ID` in moto's environment would put every request in one account, so it is
 *   removed from the child's environment: the accounts must stay separate.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** The moto version the project is tested with, and the command that installs it. */
export const MOTO_INSTALL_HINT = "install with pip install 'moto[server]==5.2.1'";

/** Thrown when `moto_server` cannot be started because it is not installed (not on PATH). */
export class MotoNotInstalledError extends Error {
    constructor(command: string) {
        super(`${command} was not found on PATH: ${MOTO_INSTALL_HINT}`);
        this.name = "MotoNotInstalledError";
    }
}

/** Options of {@link startMotoServer}. */
export interface StartMotoServerOptions {
    /** The executable. Default `moto_server` (from PATH). */
    readonly command?: string;
    /** The port. Default: a free loopback port found by {@link findFreePort}. */
    readonly port?: number;
    /** How long to wait for the server to answer, in ms. Default 120,000: generous, as moto starts slowly on a busy machine. */
    readonly startTimeoutMs?: number;
    /**
     * Extra environment variables for the server, e.g. `MOTO_IAM_LOAD_MANAGED_POLICIES: "true"` (AWS
     * managed policies such as `AdministratorAccess` then exist in every account). Default: none.
     */
    readonly environment?: Readonly<Record<string, string>>;
}

/** A running moto server. Always {@link MotoServer.stop} it, in an `after` hook or a `finally`. */
export interface MotoServer {
    /** `http://127.0.0.1:PORT`: what `--endpoint` and the SDK clients' `endpoint` take. */
    readonly endpoint: string;
    /** The port it listens on. */
    readonly port: number;
    /** The process id of the server. */
    readonly pid: number;
    /** Checks signatures and identity policies from the next request on (`reset-auth` `0`). */
    enableIamEnforcement(): Promise<void>;
    /** Accepts every request again (`reset-auth` `inf`). */
    disableIamEnforcement(): Promise<void>;
    /** Wipes every account's resources (`/moto-api/reset`); enforcement is left as it was. */
    reset(): Promise<void>;
    /** The last lines the server wrote, for a failure message. */
    recentOutput(): string;
    /** Stops the server and waits until it has exited (SIGTERM, then SIGKILL after 5 s). */
    stop(): Promise<void>;
}

/** Finds a TCP port on 127.0.0.1 that is free now (the OS picks it). */
export function findFreePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port found"))));
        });
    });
}

/** Servers started by this process and not stopped yet: killed at exit as a last resort. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
    for (const child of running) {
        killGroup(child, "SIGKILL");
    }
});

/**
 * Starts `moto_server -H 127.0.0.1 -p PORT` and resolves once it answers HTTP.
 * Rejects with {@link MotoNotInstalledError} when the command is missing.
 */
export async function startMotoServer(options: StartMotoServerOptions = {}): Promise<MotoServer> {
    const command = options.command ?? "moto_server";
    const port = options.port ?? (await findFreePort());
    const endpoint = `http://127.0.0.1:${port}`;
    const env = { ...process.env, ...options.environment };
    delete env.MOTO_ACCOUNT_ID;

    const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so that stop() also reaches anything the launcher (e.g. a pyenv shim) started.
        detached: true,
    });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
        output.push(
            ...chunk
                .toString("utf8")
                .split("\n")
                .filter((line) => line.length > 0),
        );
        output.splice(0, Math.max(0, output.length - 40));
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    running.add(child);
    void exited.then(() => running.delete(child));
    void spawnError.then(() => running.delete(child));

    const stop = async (): Promise<void> => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
            return;
        }
        killGroup(child, "SIGTERM");
        const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5000).unref());
        if ((await Promise.race([exited.then(() => "exited" as const), timer])) === "timeout") {
            killGroup(child, "SIGKILL");
            await exited;
        }
    };

    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    let failure: Error | undefined;
    void spawnError.then((error) => {
        failure = (error as NodeJS.ErrnoException).code === "ENOENT" ? new MotoNotInstalledError(command) : error;
    });
    void exited.then(() => {
        failure ??= new Error(`${command} exited before answering on ${endpoint}:\n${output.join("\n")}`);
    });
    for (;;) {
        if (failure) {
            await stop();
            throw failure;
        }
        if (await answers(`${endpoint}/moto-api/`)) {
            break;
        }
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`${command} did not answer on ${endpoint} within ${options.startTimeoutMs ?? 120_000} ms:\n${output.join("\n")}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const post = async (path: string, body?: string): Promise<void> => {
        const response = await fetch(`${endpoint}${path}`, {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body,
        });
        if (!response.ok) {
            throw new Error(`POST ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
        }
        await response.arrayBuffer();
    };

    return {
        endpoint,
        port,
        pid: child.pid as number,
        enableIamEnforcement: () => post("/moto-api/reset-auth", "0"),
        disableIamEnforcement: () => post("/moto-api/reset-auth", "inf"),
        reset: () => post("/moto-api/reset"),
        recentOutput: () => output.join("\n"),
        stop,
    };
}

async function answers(url: string): Promise<boolean> {
    try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.status < 500;
    } catch {
        return false;
    }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) {
        return;
    }
    try {
        process.kill(-child.pid, signal);
    } catch {
        try {
            child.kill(signal);
        } catch {
            // already gone
        }
    }
}
