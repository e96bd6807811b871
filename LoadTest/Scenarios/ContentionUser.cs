namespace Learning.LoadTest.Scenarios;

/// <summary>
/// One device of a shared account (<see cref="LoadTestOptions.DevicesPerUser"/> of them race on each account), signed
/// in on its own. Each step is one racing operation: register, transfer to itself, start with or without takeover, or
/// beat its last session. 409s, 403s and 410s are the contract's answers to losing a race, not errors.
/// </summary>
public sealed class ContentionUser(ScenarioContext context, Account account, Random random, int index)
    : VirtualUser(context, account, random)
{
    private static readonly string[] Platforms = ["web", "android", "ios"];

    private readonly string deviceId = $"contention-{index}";
    private readonly string platform = Platforms[index % Platforms.Length];
    private string? access;
    private string? sessionToken;
    private double position;

    public override ScenarioKind Kind => ScenarioKind.Contention;

    public override async Task<bool> SetupAsync()
    {
        if (!await Account.EnsureRegistered(Api) || await Account.Login(Api) is not { } tokens)
        {
            return false;
        }

        access = tokens.Access;
        await Register();
        return true;
    }

    public override async Task StepAsync()
    {
        var draw = Random.Next(100);
        if (draw < 25)
        {
            await Register();
        }
        else if (draw < 45)
        {
            var transferred = await Api.Transfer(access!, deviceId, platform);
            if (transferred.Status == 200)
            {
                Account.Ledger.Transferred(deviceId);
            }
        }
        else if (draw < 85)
        {
            // Mostly takeovers: they end another device's live session, the hardest race for the stream limit.
            var started = await Api.Start(access!, PickLesson().Id, deviceId, takeover: draw < 70);
            if (started.Status == 201 && started.Text("session_token") is { } token)
            {
                Account.Ledger.SessionStarted(token);
                sessionToken = token;
                position = 0;
            }
        }
        else if (sessionToken is not null)
        {
            position += 1;
            await Api.Heartbeat(access!, sessionToken, position);
            Account.Ledger.Beat(sessionToken, position);
        }
    }

    private async Task Register()
    {
        var registered = await Api.RegisterDevice(access!, deviceId, platform);
        if (registered.IsSuccess)
        {
            Account.Ledger.DeviceAcknowledged(deviceId, created: registered.Status == 201);
        }
    }
}
