package dev.bulkoffboarding.benchmark;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;

/**
 * The fake vendor in a JVM of its own, so that its CPU and heap are not counted as ours and its
 * figures (what reached the server, when, with which status) are independent of what the
 * application believes. Controlled by lines on standard input:
 * <ul>
 * <li>{@code stats}: one line {@code STATS key=value ...} about everything since start or reset;</li>
 * <li>{@code reset}: forget actions, requests and rate windows (before the baseline client);</li>
 * <li>{@code quit} or end of input: stop.</li>
 * </ul>
 * Arguments: {@code LATENCY_MS REQUESTS_PER_MINUTE [REAL_PER_SECOND]} (0 = unlimited; the optional
 * real limit is a token bucket behind the advertised budget, one second's burst).
 */
public final class BenchmarkSandbox {

    private BenchmarkSandbox() {
    }

    public static void main(String[] args) throws Exception {
        Duration latency = Duration.ofMillis(Long.parseLong(args[0]));
        int requestsPerMinute = Integer.parseInt(args[1]);
        double realPerSecond = (args.length > 2) ? Double.parseDouble(args[2]) : 0;
        try (SandboxServer sandbox = SandboxServer.start(SandboxProperties.defaults()
                .withLatency(latency)
                .withRequestsPerMinute(requestsPerMinute)
                .withRealLimit(realPerSecond, 0))) {
            System.out.println("READY " + sandbox.baseUri());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.trim()) {
                    case "stats" -> System.out.println(stats(sandbox));
                    case "reset" -> {
                        sandbox.reset();
                        System.out.println("OK");
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + line);
                }
                System.out.flush();
            }
        }
    }

    private static String stats(SandboxServer sandbox) {
        List<SandboxServer.LoggedRequest> requests = sandbox.requests();
        List<SandboxServer.CreatedAction> created = sandbox.createdActions();
        long posts = 0;
        long gets = 0;
        long rateLimited = 0;
        long otherErrors = 0;
        long firstRequest = 0;
        long firstPost = 0;
        long lastPost = 0;
        for (SandboxServer.LoggedRequest request : requests) {
            long at = request.receivedAt().toEpochMilli();
            firstRequest = (firstRequest == 0) ? at : Math.min(firstRequest, at);
            if ("POST".equals(request.method())) {
                posts++;
                firstPost = (firstPost == 0) ? at : Math.min(firstPost, at);
                lastPost = Math.max(lastPost, at);
            }
            else {
                gets++;
            }
            if (request.status() == 429) {
                rateLimited++;
            }
            else if (request.status() >= 400 || request.status() == 0) {
                otherErrors++;
            }
        }
        // Exactly once: the same device and action created twice would be a bug worth shouting about.
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        long lastCreated = 0;
        for (SandboxServer.CreatedAction action : created) {
            if (!seen.add(action.serialNumber() + "\u0000" + action.actionType().toLowerCase(Locale.ROOT))) {
                duplicates++;
            }
            lastCreated = Math.max(lastCreated, action.createdAt().toEpochMilli());
        }
        return "STATS requests=" + requests.size() + " posts=" + posts + " gets=" + gets + " rateLimited="
                + rateLimited + " otherErrors=" + otherErrors + " created=" + created.size() + " duplicates="
                + duplicates + " peakInFlight=" + sandbox.peakInFlight() + " firstRequestMs=" + firstRequest
                + " firstPostMs=" + firstPost + " lastPostMs=" + lastPost + " lastCreatedMs=" + lastCreated;
    }

}
