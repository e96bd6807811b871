using System.Net;
using Learning.Accounts;
using Learning.Common;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Accounts;

/// <summary><c>Devices:ConfirmNewDevices</c> on: a device the user never confirmed waits for a mailed code.</summary>
[Collection(ConfirmingCollection.Name)]
public sealed class DeviceConfirmationTests(ConfirmingApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private Mailbox Mail => factory.Mailbox;

    [Fact]
    public async Task Registering_a_new_device_waits_for_the_mailed_code_and_then_answers_as_the_register_would()
    {
        var session = await _api.SignUp();

        var waiting = (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Accepted).Json;

        Assert.Equal("confirmation_required", waiting.GetProperty("status").GetString());
        Assert.Equal("laptop", waiting.GetProperty("device_id").GetString());
        Assert.Equal(300, waiting.GetProperty("expires_in").GetInt32());
        Assert.Equal(60, waiting.GetProperty("resend_after").GetInt32());
        Assert.Empty((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray());
        var code = await CodeFor(session, "laptop");

        var confirmed = (await _api.ConfirmDevice(session, "laptop", code)).AssertStatus(HttpStatusCode.Created).Json;

        Assert.Equal("laptop", confirmed.GetProperty("device").GetProperty("device_id").GetString());
        Assert.True(confirmed.GetProperty("device").GetProperty("is_active").GetBoolean());
        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.OK);
        var sent = (await _api.Get("/api/audit-logs?action=device_confirmation_sent", session.Access)).Json.GetProperty("results");
        Assert.Equal("laptop", Assert.Single(sent.EnumerateArray()).GetProperty("metadata").GetProperty("device_id").GetString());
        await Mail.AssertCount(session.Email, Mailbox.DeviceCodeSubject, 1);
    }

    [Fact]
    public async Task A_confirmed_transfer_answers_200_and_deactivates_the_other_devices()
    {
        var session = await SignUpWithConfirmedDevice("laptop");
        (await _api.Transfer(session, "phone")).AssertStatus(HttpStatusCode.Accepted);
        Assert.True(Assert.Single((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray()).GetProperty("is_active").GetBoolean());

        var moved = (await _api.ConfirmDevice(session, "phone", await CodeFor(session, "phone"))).AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal("phone", moved.GetProperty("device").GetProperty("device_id").GetString());
        var devices = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().ToList();
        Assert.Equal("phone", Assert.Single(devices, d => d.GetProperty("is_active").GetBoolean()).GetProperty("device_id").GetString());
        (await _api.Transfer(session, "laptop")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_wrong_codes_leave_attempts_and_the_third_answers_410()
    {
        var session = await _api.SignUp();
        await _api.RegisterDevice(session, "laptop");
        var code = await CodeFor(session, "laptop");
        var wrong = code == "000000" ? "111111" : "000000";

        var first = (await _api.ConfirmDevice(session, "laptop", wrong)).AssertProblem(HttpStatusCode.BadRequest, "invalid_code");
        var second = (await _api.ConfirmDevice(session, "laptop", wrong)).AssertProblem(HttpStatusCode.BadRequest, "invalid_code");
        (await _api.ConfirmDevice(session, "laptop", wrong)).AssertProblem(HttpStatusCode.Gone, "code_expired");

        Assert.Equal(2, first.Json.GetProperty("attempts_left").GetInt32());
        Assert.Equal(1, second.Json.GetProperty("attempts_left").GetInt32());
        (await _api.ConfirmDevice(session, "laptop", code)).AssertProblem(HttpStatusCode.Gone, "code_expired");
        var failed = (await _api.Get("/api/audit-logs?action=device_confirmation_failed", session.Access)).Json.GetProperty("results");
        Assert.Equal(3, failed.GetArrayLength());
        Assert.Empty((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray());
    }

    [Fact]
    public async Task A_code_stops_working_after_five_minutes_and_a_resend_brings_a_working_one()
    {
        var session = await _api.SignUp();
        await _api.RegisterDevice(session, "laptop");
        var code = await CodeFor(session, "laptop");

        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        (await _api.ConfirmDevice(session, "laptop", code)).AssertProblem(HttpStatusCode.Gone, "code_expired");
        var resent = (await _api.ResendCode(session, "laptop")).AssertStatus(HttpStatusCode.Accepted).Json;
        Assert.Equal(300, resent.GetProperty("expires_in").GetInt32());
        Assert.Equal(60, resent.GetProperty("resend_after").GetInt32());
        (await _api.ConfirmDevice(session, "laptop", await CodeFor(session, "laptop", count: 2))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_resend_within_60_seconds_is_429_and_a_later_one_replaces_the_code()
    {
        var session = await _api.SignUp();
        await _api.RegisterDevice(session, "laptop");
        var old = await CodeFor(session, "laptop");
        factory.Clock.Advance(TimeSpan.FromSeconds(45));

        var tooSoon = (await _api.ResendCode(session, "laptop")).AssertProblem(HttpStatusCode.TooManyRequests, "resend_too_soon");
        Assert.Equal("15", tooSoon.Headers.RetryAfter!.ToString());

        factory.Clock.Advance(TimeSpan.FromSeconds(15));
        (await _api.ResendCode(session, "laptop")).AssertStatus(HttpStatusCode.Accepted);
        var fresh = await CodeFor(session, "laptop", count: 2);
        if (fresh != old)
        {
            (await _api.ConfirmDevice(session, "laptop", old)).AssertProblem(HttpStatusCode.BadRequest, "invalid_code");
        }

        (await _api.ConfirmDevice(session, "laptop", fresh)).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Twenty_concurrent_confirms_with_the_right_code_change_the_devices_once()
    {
        var session = await _api.SignUp();
        await _api.RegisterDevice(session, "laptop");
        var code = await CodeFor(session, "laptop");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _api.ConfirmDevice(session, "laptop", code)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => a.AssertProblem(HttpStatusCode.NotFound, "confirmation_not_found"));
        Assert.Single((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray());
        var registered = (await _api.Get("/api/audit-logs?action=device_register", session.Access)).Json.GetProperty("results");
        Assert.Single(registered.EnumerateArray());
    }

    [Fact]
    public async Task A_confirm_racing_a_resend_either_confirms_or_meets_the_new_code_never_both()
    {
        for (var round = 0; round < 5; round++)
        {
            var session = await _api.SignUp();
            await _api.RegisterDevice(session, "laptop");
            var code = await CodeFor(session, "laptop");
            factory.Clock.Advance(TimeSpan.FromSeconds(60));

            var confirm = _api.ConfirmDevice(session, "laptop", code);
            var resend = _api.ResendCode(session, "laptop");
            var (confirmed, resent) = (await confirm, await resend);

            if (confirmed.Status == HttpStatusCode.Created)
            {
                resent.AssertProblem(HttpStatusCode.NotFound, "confirmation_not_found");
                await Mail.AssertCount(session.Email, Mailbox.DeviceCodeSubject, 1);
            }
            else
            {
                resent.AssertStatus(HttpStatusCode.Accepted);
                var fresh = await CodeFor(session, "laptop", count: 2);
                confirmed.AssertProblem(HttpStatusCode.BadRequest, "invalid_code");
                (await _api.ConfirmDevice(session, "laptop", fresh)).AssertStatus(HttpStatusCode.Created);
            }

            Assert.Single((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray());
        }
    }

    [Fact]
    public async Task Ten_wrong_codes_in_an_hour_across_devices_stop_every_attempt_with_429()
    {
        var session = await _api.SignUp();
        for (var device = 0; device < 4; device++)
        {
            await _api.RegisterDevice(session, $"device-{device}");
            var code = await CodeFor(session, $"device-{device}");
            var wrong = code == "000000" ? "111111" : "000000";
            for (var attempt = 0; attempt < (device < 3 ? 3 : 1); attempt++)
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, (await _api.ConfirmDevice(session, $"device-{device}", wrong)).Status);
            }
        }

        var limited = (await _api.ConfirmDevice(session, "device-3", await CodeFor(session, "device-3")))
            .AssertProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        Assert.InRange(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 3500, 3600);
        factory.Clock.Advance(TimeSpan.FromHours(1));
        // The hour also forgot the waiting register: asking again mails a new code.
        (await _api.RegisterDevice(session, "device-3")).AssertStatus(HttpStatusCode.Accepted);
        (await _api.ConfirmDevice(session, "device-3", await CodeFor(session, "device-3", count: 2))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_device_rules_apply_when_the_code_is_accepted_and_the_device_stays_confirmed()
    {
        var session = await SignUpWithConfirmedDevice("laptop");
        (await _api.RegisterDevice(session, "phone")).AssertStatus(HttpStatusCode.Accepted);

        (await _api.ConfirmDevice(session, "phone", await CodeFor(session, "phone")))
            .AssertProblem(HttpStatusCode.Conflict, "active_device_exists");

        (await _api.Transfer(session, "phone")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Confirming_or_resending_for_a_device_nothing_waits_for_is_404()
    {
        var session = await _api.SignUp();

        (await _api.ConfirmDevice(session, "nothing", "123456")).AssertProblem(HttpStatusCode.NotFound, "confirmation_not_found");
        (await _api.ResendCode(session, "nothing")).AssertProblem(HttpStatusCode.NotFound, "confirmation_not_found");
    }

    [Fact]
    public async Task A_revoked_device_needs_a_code_again()
    {
        var session = await SignUpWithConfirmedDevice("laptop");
        var id = Assert.Single((await _api.Get("/api/devices", session.Access)).Json.EnumerateArray()).GetProperty("id").GetString();
        (await _api.Send(HttpMethod.Delete, $"/api/devices/{id}/revoke", null, session.Access)).AssertStatus(HttpStatusCode.OK);

        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task An_unverified_account_may_not_start_a_video_until_its_email_is_verified()
    {
        var session = await SignUpWithConfirmedDevice("laptop");
        var lesson = (await _api.LessonIds())[0];

        (await _api.StartVideo(session, lesson, "laptop")).AssertProblem(HttpStatusCode.Forbidden, "email_not_verified");

        (await _api.VerifyEmail(Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject)))).AssertStatus(HttpStatusCode.OK);
        (await _api.StartVideo(session, lesson, "laptop")).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_admins_activation_needs_no_code_and_works_as_a_transfer()
    {
        var session = await SignUpWithConfirmedDevice("laptop");
        (await _api.Transfer(session, "phone")).AssertStatus(HttpStatusCode.Accepted);
        (await _api.ConfirmDevice(session, "phone", await CodeFor(session, "phone"))).AssertStatus(HttpStatusCode.OK);
        var laptop = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray()
            .Single(d => d.GetProperty("device_id").GetString() == "laptop").GetProperty("id").GetString()!;
        var userId = await _api.UserId(session);
        var adminId = Guid.NewGuid();

        var activated = await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(userId)
            .ActivateDevice(Guid.Parse(laptop), adminId, ClientInfo.Internal);

        Assert.True(activated.Value!.IsActive);
        var devices = (await _api.Get("/api/devices", session.Access)).Json.EnumerateArray().ToList();
        Assert.Equal("laptop", Assert.Single(devices, d => d.GetProperty("is_active").GetBoolean()).GetProperty("device_id").GetString());
        var audited = (await _api.Get("/api/audit-logs?action=device_activate", session.Access)).Json.GetProperty("results");
        Assert.Equal(adminId.ToString(), Assert.Single(audited.EnumerateArray()).GetProperty("metadata").GetProperty("actor_id").GetString());
        await Mail.AssertCount(session.Email, Mailbox.DeviceCodeSubject, 2);
    }

    private async Task<Session> SignUpWithConfirmedDevice(string deviceId)
    {
        var session = await _api.SignUp();
        (await _api.RegisterDevice(session, deviceId)).AssertStatus(HttpStatusCode.Accepted);
        (await _api.ConfirmDevice(session, deviceId, await CodeFor(session, deviceId))).AssertStatus(HttpStatusCode.Created);
        return session;
    }

    /// <summary>The code of the <paramref name="count"/>-th code mail the user received for the device.</summary>
    private async Task<string> CodeFor(Session session, string deviceId, int count = 1) =>
        Mailbox.Code((await Mail.WaitFor(session.Email, Mailbox.DeviceCodeSubject, count, mentioning: $"\"Device {deviceId}\""))[count - 1]);
}
