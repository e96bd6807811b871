using System.Diagnostics;

namespace Learning.LoadTest.Scenarios;

/// <summary>
/// A learner: signs up, signs in once, registers its one device, then watches lesson after lesson, beating every
/// step and moving on after <see cref="LoadTestOptions.WatchTime"/>.
/// </summary>
public sealed class ViewerUser(ScenarioContext context, Account account, Random random, int index)
    : VirtualUser(context, account, random)
{
    private readonly string deviceId = $"viewer-{index}";
    private string? sessionToken;
    private long sessionStarted;
    private double lessonLength;

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

        Account.Ledger.DeviceAcknowledged(deviceId, created: device.Status == 201);
        return await StartLesson();
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
        return true;
    }

    /// <summary>Seconds into the lesson: the time watched so far, never past its end.</summary>
    private double Position() => Math.Min(Stopwatch.GetElapsedTime(sessionStarted).TotalSeconds, lessonLength);
}
