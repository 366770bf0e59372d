/**
 * Starts moto for an end-to-end suite, or skips the suite loudly when moto_server is not installed.
 * Under CI (`CI=true`) a missing moto_server fails instead: CI must never pass by skipping.
 */
import type { Context } from "mocha";
import { MOTO_INSTALL_HINT, MotoNotInstalledError, MotoServer, startMotoServer, StartMotoServerOptions } from "../../scripts/emulator/motoServer";

/**
 * Starts moto_server, or skips the calling suite with a warning naming it (fails under CI).
 * @param context The `before` hook's `this`, so that the suite can be skipped.
 * @param suite What the warning calls the suite, e.g. "the moto adoption suite".
 * @param options moto_server's options (port, extra environment).
 */
export async function startMotoForSuite(context: Context, suite: string, options?: StartMotoServerOptions): Promise<MotoServer> {
    try {
        return await startMotoServer(options);
    } catch (error) {
        if (error instanceof MotoNotInstalledError) {
            if (process.env.CI === "true") {
                throw new Error(`CI=true and moto_server is missing: ${MOTO_INSTALL_HINT}`);
            }
            console.warn(`\n  SKIPPED ${suite}: ${error.message}\n`);
            context.skip();
        }
        throw error;
    }
}
