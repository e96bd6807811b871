namespace Learning.LoadTest.Scenarios;

/// <summary>
/// Sign-in traffic: each step logs in, rotates the refresh token <see cref="LoadTestOptions.Refreshes"/> times and reads
/// the profile with the newest access token. Login hashes the password (PBKDF2-SHA512, 210,000 iterations) on
/// purpose, so its rate measures the server's CPU, not its design.
/// </summary>
public sealed class AuthUser(ScenarioContext context, Account account, Random random)
    : VirtualUser(context, account, random)
{
    public override ScenarioKind Kind => ScenarioKind.Auth;

    public override Task<bool> SetupAsync() => Account.EnsureRegistered(Api);

    public override async Task StepAsync()
    {
        if (await Account.Login(Api) is not { } tokens)
        {
            return;
        }

        var (access, refresh) = tokens;
        for (var i = 0; i < Options.Refreshes; i++)
        {
            var rotated = await Api.Refresh(refresh);
            if (rotated.Text("access") is not { } nextAccess || rotated.Text("refresh") is not { } nextRefresh)
            {
                return;
            }

            (access, refresh) = (nextAccess, nextRefresh);
            Account.Access = access;
        }

        await Api.Me(access);
    }
}
