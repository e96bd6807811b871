using System.Net;
using Learning.Accounts;
using Learning.Hosting;
using Learning.TestSupport;
using Learning.Users;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Learning.FunctionalTests.Bounds;

/// <summary>Every per-user collection is bounded, so however a user behaves each state write stays small.</summary>
// Its 500 sign-ins run beside the shared API collection instead of inside it.
[Collection(LongRunCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class UserStateBoundsTests(LearningApiFactory factory, ITestOutputHelper output)
{
    /// <summary>Measured: 18,969 bytes (40 families, 10 devices, 60 sessions and tombstones); 127,016 with 500 families before revoked ones were bounded.</summary>
    private const int StateBytesLimit = 32 * 1024;

    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Five_hundred_logins_thirty_devices_and_sixty_sessions_leave_the_stored_state_small()
    {
        var email = ApiClient.NewEmail();
        (await _api.Register(email)).AssertStatus(HttpStatusCode.Created);
        Session session = null!;
        for (var i = 0; i < 500; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            session = Session.From(email, (await _api.Login(email)).AssertStatus(HttpStatusCode.OK));
            // Each sign-in is used: its first refresh token is replaced and remembered for reuse detection.
            session = Session.From(email, (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertStatus(HttpStatusCode.OK));
        }

        for (var i = 0; i < 30; i++)
        {
            (await _api.Transfer(session, $"device-{i}", "web")).AssertStatus(HttpStatusCode.OK);
        }

        var lessonId = (await _api.LessonIds())[0];
        for (var i = 0; i < 60; i++)
        {
            (await _api.StartVideo(session, lessonId, "device-29")).AssertStatus(HttpStatusCode.Created);
        }

        var userId = Guid.Parse((await _api.Get("/api/auth/me", session.Access)).Json.GetProperty("id").GetString()!);
        var state = await StoredUserState.ReadAsync(factory, userId);
        var bytes = factory.Services.GetRequiredService<Serializer>().SerializeToArray(state).Length;
        output.WriteLine($"families {state.RefreshFamilies.Count}, devices {state.Devices.Count}, sessions {state.Sessions.Count}, " +
                         $"tombstones {state.EndedSessions.Count}, outbox {state.AuditOutbox.Count}: {bytes} bytes");

        Assert.Equal(20, state.RefreshFamilies.Values.Count(f => !f.IsRevoked));
        Assert.Equal(20, state.RefreshFamilies.Values.Count(f => f.IsRevoked));
        Assert.Equal(10, state.Devices.Count);
        Assert.InRange(state.Sessions.Count + state.EndedSessions.Count, 1, 61);
        Assert.True(bytes < StateBytesLimit, $"The stored state is {bytes} bytes");
    }

}
