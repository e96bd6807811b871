using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Http;

[Collection(ApiCollection.Name)]
public sealed class AccountsApiTests(LearningApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    [Fact]
    public async Task Register_answers_201_with_the_user_in_the_contract_shape()
    {
        var email = ApiClient.NewEmail();

        var user = (await _api.Register($"  {email.ToUpperInvariant()}", fullName: "Ada Lovelace")).AssertStatus(HttpStatusCode.Created).Json;

        Assert.True(Guid.TryParse(user.GetProperty("id").GetString(), out _));
        Assert.Equal(email, user.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", user.GetProperty("full_name").GetString());
        Assert.Equal("student", user.GetProperty("role").GetString());
        Assert.EndsWith("Z", user.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task Registering_a_taken_email_in_another_spelling_is_409()
    {
        var email = ApiClient.NewEmail();
        await _api.Register(email);

        (await _api.Register(email.ToUpperInvariant())).AssertProblem(HttpStatusCode.Conflict, "email_taken");
    }

    [Theory]
    [InlineData("short", "password")]
    [InlineData("1234567890", "password")]
    public async Task Register_refuses_weak_passwords_with_field_errors(string password, string field)
    {
        var response = (await _api.Register(ApiClient.NewEmail(), password)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Register_refuses_the_email_as_password()
    {
        var email = ApiClient.NewEmail();
        (await _api.Register(email, email)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Register_lists_every_missing_or_malformed_field()
    {
        var errors = (await _api.Post("/api/auth/register", new { email = "not-an-email" }))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error").Json.GetProperty("errors");

        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("full_name", out _));
    }

    [Fact]
    public async Task Twenty_concurrent_registrations_of_one_email_give_exactly_one_201()
    {
        var email = ApiClient.NewEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _api.Register(email)));

        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.Created), r => r.AssertProblem(HttpStatusCode.Conflict, "email_taken"));
    }

    [Fact]
    public async Task Login_answers_a_token_pair_that_is_never_cached()
    {
        var email = ApiClient.NewEmail();
        await _api.Register(email);

        var response = (await _api.Login(email)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("Bearer", response.Json.GetProperty("token_type").GetString());
        Assert.Equal(3600, response.Json.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, response.Json.GetProperty("access").GetString()!.Split('.').Length);
        Assert.False(string.IsNullOrEmpty(response.Json.GetProperty("refresh").GetString()));
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task Unknown_email_and_wrong_password_get_the_same_answer()
    {
        var email = ApiClient.NewEmail();
        await _api.Register(email);

        var wrongPassword = (await _api.Login(email, "wrong-password")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        var unknownEmail = (await _api.Login(ApiClient.NewEmail())).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");

        Assert.Equal(wrongPassword.Json.GetProperty("message").GetString(), unknownEmail.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_account_with_retry_after_until_the_clock_moves_on()
    {
        var email = ApiClient.NewEmail();
        await _api.Register(email);
        for (var i = 0; i < 5; i++)
        {
            (await _api.Login(email, "wrong-password")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var locked = (await _api.Login(email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter!.Delta);

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        locked = (await _api.Login(email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        Assert.Equal(TimeSpan.FromMinutes(5), locked.Headers.RetryAfter!.Delta);

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        (await _api.Login(email)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Me_answers_the_signed_in_user()
    {
        var session = await _api.SignUp();

        var me = (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(session.Email, me.GetProperty("email").GetString());
        Assert.Equal("student", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Refresh_rotates_and_reuse_of_a_rotated_token_revokes_the_family()
    {
        var session = await _api.SignUp();
        var rotated = (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertStatus(HttpStatusCode.OK).Json;
        var newRefresh = rotated.GetProperty("refresh").GetString()!;
        var newAccess = rotated.GetProperty("access").GetString()!;
        Assert.NotEqual(session.Refresh, newRefresh);
        (await _api.Get("/api/auth/me", newAccess)).AssertStatus(HttpStatusCode.OK);

        (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "token_reused");

        (await _api.Post("/api/auth/refresh", new { refresh = newRefresh })).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");
        (await _api.Get("/api/auth/me", newAccess)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/api/auth/me", session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("jI_vlDrKWkC5yalJItGIBh4ggmuABw-2t2Fp2UwSK42UZDQp0D2BxD-bBfGP9NtPqeeQM6NP2pSfdvPcZmSPlQ")]
    public async Task Refresh_with_a_token_we_never_issued_is_invalid(string token) =>
        (await _api.Post("/api/auth/refresh", new { refresh = token })).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");

    [Fact]
    public async Task Logout_revokes_the_family_of_the_given_refresh_token_at_once()
    {
        var session = await _api.SignUp();
        var other = Session.From(session.Email, await _api.Login(session.Email));

        (await _api.Post("/api/auth/logout", new { refresh = session.Refresh }, session.Access)).AssertStatus(HttpStatusCode.NoContent);

        (await _api.Post("/api/auth/refresh", new { refresh = session.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");
        (await _api.Get("/api/auth/me", session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Get("/api/auth/me", other.Access)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_needs_a_bearer_token_and_a_refresh_token_of_this_user()
    {
        var session = await _api.SignUp();
        var stranger = await _api.SignUp();

        (await _api.Post("/api/auth/logout", new { refresh = session.Refresh })).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Post("/api/auth/logout", new { refresh = stranger.Refresh }, session.Access)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_token");
        (await _api.Post("/api/auth/refresh", new { refresh = stranger.Refresh })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Changing_the_password_signs_out_every_other_session()
    {
        var session = await _api.SignUp();
        var other = Session.From(session.Email, await _api.Login(session.Email));

        (await _api.Post("/api/auth/password", new { current_password = "wrong-password", new_password = "brisk-walnut-harbour" }, session.Access))
            .AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await _api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "123456789" }, session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        (await _api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "brisk-walnut-harbour" }, session.Access))
            .AssertStatus(HttpStatusCode.NoContent);

        (await _api.Get("/api/auth/me", session.Access)).AssertStatus(HttpStatusCode.OK);
        (await _api.Get("/api/auth/me", other.Access)).AssertProblem(HttpStatusCode.Unauthorized, "token_revoked");
        (await _api.Login(session.Email)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await _api.Login(session.Email, "brisk-walnut-harbour")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_demo_admin_and_student_can_sign_in()
    {
        var admin = (await _api.Login("admin@example.com", "admin-demo-kettle-nebula")).AssertStatus(HttpStatusCode.OK);
        var me = (await _api.Get("/api/auth/me", admin.Json.GetProperty("access").GetString())).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal("admin", me.GetProperty("role").GetString());

        (await _api.Login("student@example.com", "student-demo-walrus-fig")).AssertStatus(HttpStatusCode.OK);
    }
}
