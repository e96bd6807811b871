using Learning.LoadTest.Http;
using Learning.LoadTest.Invariants;

namespace Learning.LoadTest.Scenarios;

/// <summary>
/// A user account the run created. Contention shares one among several virtual users (its devices), so registration
/// happens once, whoever asks first.
/// </summary>
public sealed class Account(string email)
{
    public const string Password = "load-test-marigold-spanner";

    private Task<bool>? registration;

    public string Email { get; } = email;

    /// <summary>The newest access token any of its virtual users got; the invariant check acts with it.</summary>
    public string? Access { get; set; }

    public UserLedger Ledger { get; } = new();

    public bool Registered => registration is { IsCompletedSuccessfully: true, Result: true };

    public Task<bool> EnsureRegistered(LearningClient api)
    {
        lock (Ledger)
        {
            return registration ??= Register(api);
        }
    }

    private async Task<bool> Register(LearningClient api) =>
        (await api.Register(Email, Password, "Load Test")).Status == 201;

    /// <summary>Signs in and keeps the pair: the refresh token for rotations, the access token for everything else.</summary>
    public async Task<(string Access, string Refresh)?> Login(LearningClient api)
    {
        var result = await api.Login(Email, Password);
        if (result.Status != 200 || result.Text("access") is not { } access || result.Text("refresh") is not { } refresh)
        {
            return null;
        }

        Access = access;
        return (access, refresh);
    }
}
