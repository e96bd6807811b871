using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Learning.TestSupport;
using Xunit.Abstractions;

namespace Learning.IntegrationTests.Cluster;

/// <summary>
/// Three silo processes and an API process under a racing workload while one silo is killed with SIGKILL.
/// Requests may fail with 503 during fail-over, never with a wrong answer, and afterwards every rule holds.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Racers = 12;
    private const int Viewers = 4;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(20);

    private readonly ConcurrentBag<Attempt> _attempts = [];

    private sealed record Attempt(string User, string Action, string? Subject, HttpStatusCode Status, string Body, TimeSpan At, TimeSpan AnsweredAt);

    [Fact]
    public async Task Killing_a_silo_mid_run_breaks_no_rule_and_loses_nothing_acknowledged()
    {
        await using var cluster = await ScriptedCluster.UpAsync(silos: 3);
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api = new ApiClient(http);
        var lessons = await api.LessonIds();
        // Set-up signs up one account at a time: a burst of production-strength password hashes on 2 shared cores can
        // outlast the grain response timeout, and it is the race below, not sign-up, that this test is about.
        var racers = new List<Session>();
        for (var i = 0; i < Racers; i++)
        {
            racers.Add(await api.SignUp());
        }

        var viewers = new List<(Session Session, string DeviceId)>();
        for (var i = 0; i < Viewers; i++)
        {
            viewers.Add(await api.SignUpWithDevice("viewer-tv"));
        }

        var viewerTokens = await Task.WhenAll(viewers.Select(async v =>
            (await api.StartVideo(v.Session, lessons[0], v.DeviceId)).AssertStatus(HttpStatusCode.Created).Json.GetProperty("session_token").GetString()!));

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(RunFor);
        var work = racers.SelectMany(r => new[] { RaceAsync(api, r, lessons, clock, stop.Token), RaceAsync(api, r, lessons, clock, stop.Token) })
            .Concat(viewers.Select((v, i) => WatchAsync(api, v.Session, viewerTokens[i], clock, stop.Token)))
            .ToList();
        await Task.Delay(KillAfter);
        var killedAt = clock.Elapsed;
        await cluster.KillSiloAsync(2);
        await Task.WhenAll(work);

        var report = Report(killedAt);
        output.WriteLine(report);
        TestReport.Write("failover", report);

        Assert.NotEmpty(_attempts);
        Assert.All(_attempts, a => Assert.True(IsExpected(a), $"{a.Action} by {a.User} answered {(int)a.Status}: {a.Body}"));
        Assert.All(_attempts.Where(a => a.Status == HttpStatusCode.ServiceUnavailable),
            a => Assert.Equal("service_unavailable", JsonDocument.Parse(a.Body).RootElement.GetProperty("error").GetString()));
        foreach (var (viewer, token) in viewers.Select((v, i) => (v.Session, viewerTokens[i])))
        {
            // Kept beating through the kill, so still live: a beat now succeeds.
            (await RetryOn503(() => api.Heartbeat(viewer, token, 30))).AssertStatus(HttpStatusCode.OK);
        }

        foreach (var racer in racers)
        {
            await AssertRulesHoldAsync(api, cluster.Postgres, racer);
        }
    }

    private async Task RaceAsync(ApiClient api, Session user, IReadOnlyList<string> lessons, Stopwatch clock, CancellationToken stop)
    {
        var random = new Random(user.Email.GetHashCode());
        string? token = null;
        while (!stop.IsCancellationRequested)
        {
            var device = $"dev-{random.Next(4)}";
            switch (random.Next(4))
            {
                case 0:
                    await Record(user, "register", device, clock, () => api.RegisterDevice(user, device));
                    break;
                case 1:
                    await Record(user, "transfer", device, clock, () => api.Transfer(user, device));
                    break;
                case 2:
                    var started = await Record(user, "start", device, clock, () => api.StartVideo(user, lessons[random.Next(lessons.Count)], device, takeover: random.Next(2) == 0));
                    token = started.Status == HttpStatusCode.Created ? started.Json.GetProperty("session_token").GetString() : token;
                    break;
                default:
                    if (token is not null)
                    {
                        await Record(user, "heartbeat", null, clock, () => api.Heartbeat(user, token, random.Next(60)));
                    }

                    break;
            }
        }
    }

    private async Task WatchAsync(ApiClient api, Session viewer, string token, Stopwatch clock, CancellationToken stop)
    {
        var position = 0;
        while (!stop.IsCancellationRequested)
        {
            await Record(viewer, "watch", null, clock, () => api.Heartbeat(viewer, token, position += 1));
            await Task.Delay(500, CancellationToken.None);
        }
    }

    private async Task<ApiResponse> Record(Session user, string action, string? subject, Stopwatch clock, Func<Task<ApiResponse>> call)
    {
        var at = clock.Elapsed;
        ApiResponse response;
        try
        {
            response = await call();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            response = new ApiResponse(0, new HttpResponseMessage().Headers, null, exception.Message);
        }

        _attempts.Add(new Attempt(user.Email, action, subject, response.Status, response.Body, at, clock.Elapsed));
        return response;
    }

    /// <summary>Only answers the contract allows for these requests; anything else is a wrong answer.</summary>
    private static bool IsExpected(Attempt attempt) => (attempt.Action, attempt.Status) switch
    {
        (_, HttpStatusCode.ServiceUnavailable) => true,
        ("register", HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict) => true,
        ("transfer", HttpStatusCode.OK) => true,
        ("start", HttpStatusCode.Created or HttpStatusCode.Forbidden or HttpStatusCode.Conflict) => true,
        ("heartbeat", HttpStatusCode.OK or HttpStatusCode.Gone or HttpStatusCode.NotFound) => true,
        ("watch", HttpStatusCode.OK) => true,
        _ => false,
    };

    /// <summary>Checks one user in the grain (through the API) and in the operators' tables (straight in PostgreSQL).</summary>
    private async Task AssertRulesHoldAsync(ApiClient api, string postgres, Session racer)
    {
        var mine = _attempts.Where(a => a.User == racer.Email).ToList();
        var devices = (await RetryOn503(() => api.Get("/api/devices", racer.Access))).AssertStatus(HttpStatusCode.OK).Json.EnumerateArray().ToList();
        Assert.True(devices.Count(d => d.GetProperty("is_active").GetBoolean()) <= 1, $"{racer.Email} has more than one active device");
        var inGrain = devices.Select(d => d.GetProperty("device_id").GetString()!).ToHashSet();
        var userId = Guid.Parse((await RetryOn503(() => api.Get("/api/auth/me", racer.Access))).Json.GetProperty("id").GetString()!);
        var inTable = (await PostgresDatabase.ScalarAsync<string>(postgres, "SELECT coalesce(string_agg(device_id, ','), '') FROM devices WHERE user_id = $1", userId))
            .Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.True(inTable.SetEquals(inGrain), $"{racer.Email}: devices table has [{string.Join(',', inTable)}], grain has [{string.Join(',', inGrain)}]");
        var acknowledged = mine.Where(a => a.Action is "register" or "transfer" && IsSuccess(a.Status)).ToList();
        Assert.True(acknowledged.Count > 0, $"{racer.Email}: no register or transfer was acknowledged in the whole run");
        Assert.All(acknowledged, a => Assert.Contains(a.Subject!, inGrain));
        Assert.True(await PostgresDatabase.ScalarAsync<long>(postgres, "SELECT count(*) FROM devices WHERE user_id = $1 AND is_active", userId) <= 1);

        var tokens = mine.Where(a => a.Action == "start" && a.Status == HttpStatusCode.Created)
            .Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("session_token").GetString()!).ToList();
        var beats = await Task.WhenAll(tokens.Select(t => RetryOn503(() => api.Heartbeat(racer, t, 1))));
        Assert.True(beats.Count(b => b.Status == HttpStatusCode.OK) <= 1, $"{racer.Email} has more than one live session");

        var audit = await AuditActionsAsync(postgres, userId);
        AssertAudited(mine, audit, "register", "device_register", a => a.Status == HttpStatusCode.Created);
        AssertAudited(mine, audit, "transfer", "device_transfer", a => a.Status == HttpStatusCode.OK);
        AssertAudited(mine, audit, "start", "video_start", a => a.Status == HttpStatusCode.Created);
    }

    /// <summary>
    /// Every acknowledged action has its entry, and every entry belongs to an attempt: an acknowledged one, or one
    /// whose answer was lost in the fail-over (503 or no answer), which may or may not have happened.
    /// </summary>
    private static void AssertAudited(List<Attempt> attempts, List<string> audit, string action, string auditAction, Func<Attempt, bool> acknowledged)
    {
        var entries = audit.Count(a => a == auditAction);
        var ofAction = attempts.Where(a => a.Action == action).ToList();
        var confirmed = ofAction.Count(acknowledged);
        var unknown = ofAction.Count(a => a.Status is HttpStatusCode.ServiceUnavailable or 0);
        Assert.InRange(entries, confirmed, confirmed + unknown);
    }

    private static async Task<List<string>> AuditActionsAsync(string postgres, Guid userId) =>
        (await PostgresDatabase.ScalarAsync<string>(postgres, "SELECT coalesce(string_agg(action, ','), '') FROM audit_logs WHERE user_id = $1", userId))
            .Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static async Task<ApiResponse> RetryOn503(Func<Task<ApiResponse>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await call();
            if (response.Status != HttpStatusCode.ServiceUnavailable || attempt == 30)
            {
                return response;
            }

            await Task.Delay(500);
        }
    }

    private string Report(TimeSpan killedAt)
    {
        var failed = _attempts.Where(a => a.Status is HttpStatusCode.ServiceUnavailable or 0).OrderBy(a => a.At).ToList();
        var text = new StringBuilder();
        text.AppendLine($"Fail-over under load: 3 silos, {Racers} racing users (2 loops each), {Viewers} viewers beating every 0.5 s, silo 2 SIGKILLed at {killedAt.TotalSeconds:F1} s of {RunFor.TotalSeconds:F0} s.");
        text.AppendLine($"  requests: {_attempts.Count}; by status: {string.Join(", ", _attempts.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"))}");
        text.AppendLine(failed.Count == 0
            ? "  no request failed during the fail-over"
            : $"  failed (503 or no answer): {failed.Count}, sent from +{(failed[0].At - killedAt).TotalSeconds:F1} s to +{(failed[^1].At - killedAt).TotalSeconds:F1} s after the kill, "
              + $"the last answered at +{(failed.Max(a => a.AnsweredAt) - killedAt).TotalSeconds:F1} s (fail-over window)");
        text.AppendLine("  membership: ProbeTimeout 2 s, NumMissedProbesLimit 2, NumVotesForDeathDeclaration 1, TableRefreshTimeout 5 s, IAmAliveTablePublishTimeout 10 s");
        return text.ToString();
    }
}
