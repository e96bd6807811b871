using System.Collections.Concurrent;
using System.Text.Json;
using Learning.LoadTest.Http;
using Learning.LoadTest.Reporting;
using Learning.LoadTest.Scenarios;

namespace Learning.LoadTest.Invariants;

/// <summary>
/// After the load stops, holds the server to what it told each user it touched:
/// <list type="bullet">
/// <item>GET /api/devices shows at most <see cref="LoadTestOptions.MaxDevices"/> active devices;</item>
/// <item>every device acknowledged (register 200/201, transfer 200) is still listed;</item>
/// <item>of all the session tokens it handed out, at most <see cref="LoadTestOptions.MaxStreams"/> still take a heartbeat;</item>
/// <item>the user's own audit log has at least as many <c>device_register</c>, <c>device_transfer</c> and
/// <c>video_start</c> entries as the 201s/200s it acknowledged.</item>
/// </list>
/// A session the server created but whose answer never arrived is unknown to the tester, so the stream count is a lower
/// bound of the truth; it still catches any two acknowledged sessions live at once.
/// </summary>
public static class InvariantChecker
{
    public static async Task<InvariantReport> CheckAsync(LearningClient api, IReadOnlyCollection<Account> accounts, LoadTestOptions options)
    {
        var violations = new ConcurrentQueue<InvariantViolation>();
        int devices = 0, probed = 0, live = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Connections) }, async (account, _) =>
        {
            void Violated(string rule, string detail) => violations.Enqueue(new InvariantViolation(account.Email, rule, detail));

            var access = account.Access;
            var listed = access is null ? default : await api.Devices(access);
            if (listed.Status == 401 || access is null)
            {
                // No token yet (set-up stopped after registering) or one the server no longer takes: sign in again.
                access = (await account.Login(api))?.Access;
                listed = access is null ? default : await api.Devices(access);
            }

            if (access is null || listed.Status != 200)
            {
                Violated("unverifiable", $"could not sign in and list devices (status {listed.Status})");
                return;
            }

            var ledger = account.Ledger;
            var shown = listed.Json.EnumerateArray().ToList();
            var active = shown.Count(d => d.GetProperty("is_active").GetBoolean());
            if (active > options.MaxDevices)
            {
                Violated("max_active_devices", $"{active} active devices, at most {options.MaxDevices} allowed");
            }

            var acknowledged = ledger.Devices();
            Interlocked.Add(ref devices, acknowledged.Count);
            var present = shown.Select(d => d.GetProperty("device_id").GetString()).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in acknowledged.Where(id => !present.Contains(id)))
            {
                Violated("acknowledged_device_missing", $"device '{missing}' was acknowledged but is not in GET /api/devices");
            }

            var sessions = ledger.Sessions();
            var liveNow = 0;
            foreach (var (token, position) in sessions)
            {
                if ((await api.Heartbeat(access, token, position)).Status == 200)
                {
                    liveNow++;
                }
            }

            Interlocked.Add(ref probed, sessions.Count);
            Interlocked.Add(ref live, liveNow);
            if (liveNow > options.MaxStreams)
            {
                Violated("max_concurrent_streams", $"{liveNow} of its {sessions.Count} session tokens still take heartbeats, at most {options.MaxStreams} allowed");
            }

            foreach (var (action, expected) in new[]
            {
                ("device_register", ledger.DevicesCreated),
                ("device_transfer", ledger.Transfers),
                ("video_start", ledger.SessionsStarted),
            })
            {
                if (expected == 0)
                {
                    continue;
                }

                var (found, refused) = await CountAudit(api, access, action, expected);
                if (refused is { } status)
                {
                    Violated("unverifiable", $"GET /api/audit-logs?action={action} kept answering {status}");
                }
                else if (found < expected)
                {
                    Violated("audit_entry_missing", $"{found} '{action}' entries in its audit log, {expected} acknowledged");
                }
            }
        });

        return new InvariantReport(accounts.Count, devices, probed, live, [.. violations]);
    }

    /// <summary>
    /// The user's own entries of one action, paged until <paramref name="expected"/> are seen. Retried a few times over a
    /// second in case the audit store is fed just after the answer (the contract says it is fed before). A listing the
    /// server refuses (503 while a fault heals) is asked again for up to <see cref="RefusalPatience"/>; one it still
    /// refuses is reported with its status, never counted as missing entries.
    /// </summary>
    private static async Task<(int Found, int? RefusedWith)> CountAudit(LearningClient api, string access, string action, int expected)
    {
        var found = 0;
        var refusedUntil = DateTime.UtcNow + RefusalPatience;
        for (var attempt = 0; attempt < 5;)
        {
            found = 0;
            string? cursor = null;
            int? refused = null;
            do
            {
                var page = await api.AuditLogs(access, action, cursor);
                if (page.Status != 200)
                {
                    refused = page.Status;
                    break;
                }

                var json = page.Json;
                found += json.GetProperty("results").GetArrayLength();
                cursor = json.GetProperty("next_cursor") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
            }
            while (cursor is not null && found < expected);

            if (refused is { } status)
            {
                if (DateTime.UtcNow >= refusedUntil)
                {
                    return (found, status);
                }
            }
            else if (found >= expected)
            {
                return (found, null);
            }
            else
            {
                attempt++;
            }

            await Task.Delay(200);
        }

        return (found, null);
    }

    private static readonly TimeSpan RefusalPatience = TimeSpan.FromSeconds(10);
}
