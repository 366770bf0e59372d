/**
 * The audit's clients fail a request that gets no answer, instead of waiting forever: the SDK only
 * logs a warning at its request timeout unless `throwOnRequestTimeout` is set. Shown against a local
 * server that accepts connections and never answers, with a short request timeout (the audit's is 30 s).
 */
import assert from "node:assert/strict";
import { createServer, Socket } from "node:net";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createAccountClients, SDK_MAX_ATTEMPTS, SentCall } from "../scripts/audit/clients";

describe("audit: clients with bounded time", function () {
    // A bound on a hung call, not a measurement: without the fix the call never ends and this fails.
    this.timeout(60_000);

    it("a request that is never answered fails (TimeoutError) after the SDK's attempts, one connection each", async () => {
        const sockets = new Set<Socket>();
        const silent = createServer((socket) => {
            sockets.add(socket);
        });
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const port = (silent.address() as { port: number }).port;
        const sent: SentCall[] = [];
        const clients = createAccountClients({
            account: "blue",
            region: "us-east-1",
            endpoint: `http://127.0.0.1:${port}`,
            profile: "audit-blue",
            sent,
            requestTimeoutMs: 300,
            env: {},
        });
        // Static keys instead of a profile file: the test is about the HTTP layer.
        const sts = clients.sts;
        sts.config.credentials = async () => ({ accessKeyId: "AKIAAUDITTEST", secretAccessKey: "not-a-secret" });
        try {
            await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (error: Error) => error.name === "TimeoutError");
            assert.equal(sockets.size, SDK_MAX_ATTEMPTS, "each attempt timed out and was retried on a new connection");
            assert.deepEqual(sent, [{ account: "blue", operation: "GetCallerIdentity" }], "the command was recorded once");
        } finally {
            clients.destroy();
            sockets.forEach((socket) => socket.destroy());
            await new Promise<void>((resolve) => silent.close(() => resolve()));
        }
    });
});
