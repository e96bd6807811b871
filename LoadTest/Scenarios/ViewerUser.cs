using System.Diagnostics;
using System.Text.Json;

namespace Learning.LoadTest.Scenarios;

/// <summary>
/// A learner: signs up, signs in once, registers its one device, then watches lesson after lesson: its first step
/// starts one, every later step beats, and after <see cref="LoadTestOptions.WatchTime"/> it ends it and starts the next.
/// </summary>
public sealed class ViewerUser(ScenarioContext context, Account account, Random random, int index)
    : VirtualUser(context, account, random)
{
    private readonly string deviceId = $"viewer-{index}";
    private string? sessionToken;
    private long sessionStarted;
    private double lessonLength;
    private double resumeAt;

    public override ScenarioKind Kind => ScenarioKind.Viewers;

    public override async Task<bool> SetupAsync()
    {
        if (!await Account.EnsureRegistered(Api) || await Account.Login(Api) is null)
        {
            return false;
        }

        var device = await Api.RegisterDevice(Account.Access!, deviceId, "web");
        if (!device.IsSuccess)
        {
            return false;
        }

        // The first lesson starts with the first step, not here: a long set-up would leave the early users' sessions
        // stale (no beat for 90 s) before the load even began.
        Account.Ledger.DeviceAcknowledged(deviceId, created: device.Status == 201);
        return true;
    }

    public override async Task StepAsync()
    {
        if (sessionToken is null)
        {
            await StartLesson();
            return;
        }

        var position = Position();
        if (Stopwatch.GetElapsedTime(sessionStarted) >= Options.WatchTime)
        {
            await Api.End(Account.Access!, sessionToken, position);
            Account.Ledger.Beat(sessionToken, position);
            await StartLesson();
            return;
        }

        var beat = await Api.Heartbeat(Account.Access!, sessionToken, position);
        Account.Ledger.Beat(sessionToken, position);
        if (beat.Status is 404 or 410)
        {
            // The session ended under us (stale after a pause, or lost with a restarted in-memory server): start again.
            sessionToken = null;
        }
    }

    private async Task<bool> StartLesson()
    {
        var lesson = PickLesson();
        var started = await Api.Start(Account.Access!, lesson.Id, deviceId, takeover: false);
        if (started.Status != 201 || started.Text("session_token") is not { } token)
        {
            sessionToken = null;
            return false;
        }

        Account.Ledger.SessionStarted(token);
        sessionToken = token;
        sessionStarted = Stopwatch.GetTimestamp();
        lessonLength = lesson.LengthSeconds;
        // As a player does: pick up where the learner left the lesson (0 for a new or completed one, or an older server).
        resumeAt = started.Json.TryGetProperty("resume_at", out var resume) && resume.ValueKind == JsonValueKind.Number
            ? Math.Clamp(resume.GetDouble(), 0, lessonLength)
            : 0;
        return true;
    }

    /// <summary>Seconds into the lesson: where it resumed plus the time watched since, never past its end.</summary>
    private double Position() => Math.Min(resumeAt + Stopwatch.GetElapsedTime(sessionStarted).TotalSeconds, lessonLength);
}
