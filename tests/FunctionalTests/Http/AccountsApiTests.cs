using System.Net;
using System.Text.Json;
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
    public async Task Wrong_current_passwords_count_toward_the_lockout_and_are_audited()
    {
        var session = await _api.SignUp();
        for (var i = 0; i < 5; i++)
        {
            (await ChangePassword(session, "wrong-password", "brisk-walnut-harbour")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var locked = (await ChangePassword(session, ApiClient.Password, "brisk-walnut-harbour")).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter!.Delta);
        (await _api.Login(session.Email)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");

        var entries = (await _api.Get("/api/audit-logs", session.Access)).AssertStatus(HttpStatusCode.OK).Json.GetProperty("results").EnumerateArray().ToList();
        var failures = entries.Where(e => e.GetProperty("action").GetString() == "login_failed").ToList();
        Assert.Equal(5, failures.Count);
        Assert.All(failures, e => Assert.Equal("password_change", e.GetProperty("metadata").GetProperty("source").GetString()));
        Assert.Equal("account_locked", entries[0].GetProperty("action").GetString());

        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        (await ChangePassword(session, ApiClient.Password, "brisk-walnut-harbour")).AssertStatus(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_unknown_email_locks_after_five_failures_exactly_like_a_real_account()
    {
        var real = ApiClient.NewEmail();
        await _api.Register(real);
        var unknown = ApiClient.NewEmail();
        foreach (var email in new[] { real, unknown })
        {
            for (var i = 0; i < 5; i++)
            {
                (await _api.Login(email, "wrong-password")).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
            }
        }

        var lockedReal = (await _api.Login(real)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");
        var lockedUnknown = (await _api.Login(unknown)).AssertProblem(HttpStatusCode.TooManyRequests, "account_locked");

        Assert.Equal(TimeSpan.FromMinutes(15), lockedReal.Headers.RetryAfter!.Delta);
        Assert.Equal(lockedReal.Headers.RetryAfter!.Delta, lockedUnknown.Headers.RetryAfter!.Delta);
        foreach (var member in new[] { "type", "title", "status", "detail", "error", "message" })
        {
            Assert.Equal(lockedReal.Json.GetProperty(member).ToString(), lockedUnknown.Json.GetProperty(member).ToString());
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        (await _api.Login(unknown)).AssertProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        (await _api.Login(real)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Failed_logins_for_unknown_emails_record_the_address_but_never_other_text()
    {
        var admin = Session.From("admin@example.com", await _api.Login("admin@example.com", "admin-demo-kettle-nebula"));
        var unknown = ApiClient.NewEmail();
        var notAnEmail = $"my secret password {Guid.NewGuid():N}";

        await _api.Login(unknown, "wrong-password");
        var withAddress = await NewestLoginFailure(admin);
        await _api.Login(notAnEmail, "wrong-password");
        var withoutAddress = await NewestLoginFailure(admin);

        Assert.Equal(unknown, withAddress.GetProperty("user_email").GetString());
        Assert.NotEqual(withAddress.GetProperty("id").GetString(), withoutAddress.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, withoutAddress.GetProperty("user_email").ValueKind);
        var everything = (await _api.Get("/api/audit-logs?limit=200", admin.Access)).Body;
        Assert.DoesNotContain(notAnEmail, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("password123", "Test User")]
    [InlineData("qwertyuiop", "Test User")]
    [InlineData("adalovelace1", "Ada Lovelace")]
    public async Task Register_refuses_common_and_guessable_passwords_saying_why(string password, string fullName)
    {
        var response = (await _api.Register(ApiClient.NewEmail(), password, fullName)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        var messages = response.Json.GetProperty("errors").GetProperty("password").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains("guess", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_password_change_refuses_the_current_password_and_guessable_ones()
    {
        var session = await _api.SignUp();

        var same = (await ChangePassword(session, ApiClient.Password, ApiClient.Password)).AssertProblem(HttpStatusCode.BadRequest, "validation_error");
        var common = (await ChangePassword(session, ApiClient.Password, "password123")).AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.Contains("current", same.Json.GetProperty("errors").GetProperty("new_password")[0].GetString());
        Assert.True(common.Json.GetProperty("errors").TryGetProperty("new_password", out _));
    }

    private Task<ApiResponse> ChangePassword(Session session, string current, string next) =>
        _api.Post("/api/auth/password", new { current_password = current, new_password = next }, session.Access);

    private async Task<JsonElement> NewestLoginFailure(Session admin) =>
        (await _api.Get("/api/audit-logs?action=login_failed&limit=1", admin.Access)).AssertStatus(HttpStatusCode.OK)
            .Json.GetProperty("results")[0];

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
