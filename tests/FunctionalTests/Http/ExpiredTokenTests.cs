using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

/// <summary>
/// The original clients never refresh during a lesson: heartbeat and end take an access token that expired less than
/// <c>Playback:SessionLifetime</c> ago while its family lives; every other route refuses an expired token.
/// </summary>
[Collection(TokenPolicyCollection.Name)]
public sealed class ExpiredTokenTests(TokenPolicyApiFactory factory)
{
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(60);

    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Heartbeat_and_end_accept_a_token_expired_within_the_session_lifetime()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = await StartAsync(session, device);

        // Beats a minute apart keep the session live while the one-minute token falls further behind.
        for (var beat = 1; beat <= 3; beat++)
        {
            factory.Clock.Advance(Beat);
            (await _api.Heartbeat(session, token, beat * 60)).AssertStatus(HttpStatusCode.OK);
        }

        (await _api.Get("/api/devices", session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.StartVideo(session, (await _api.LessonIds())[1], device)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Get("/api/auth/me", session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.EndVideo(session, token, 180)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_expired_longer_than_the_session_lifetime_is_refused_everywhere()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = await StartAsync(session, device);

        factory.Clock.Advance(TokenPolicyApiFactory.SessionLifetime + TimeSpan.FromMinutes(2));

        (await _api.Heartbeat(session, token, 1)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.EndVideo(session, token, 1)).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task An_expired_token_of_a_revoked_family_is_refused_by_heartbeat()
    {
        var (session, device) = await _api.SignUpWithDevice();
        var token = await StartAsync(session, device);
        factory.Clock.Advance(Beat);
        (await _api.Heartbeat(session, token, 60)).AssertStatus(HttpStatusCode.OK);
        factory.Clock.Advance(Beat);
        var other = Session.From(session.Email, await _api.Login(session.Email));

        (await _api.Post("/api/auth/logout", new { refresh = session.Refresh }, other.Access)).AssertStatus(HttpStatusCode.NoContent);

        (await _api.Heartbeat(session, token, 120)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
    }

    private async Task<string> StartAsync(Session session, string device) =>
        (await _api.StartVideo(session, (await _api.LessonIds())[0], device)).AssertStatus(HttpStatusCode.Created)
        .Json.GetProperty("session_token").GetString()!;
}
