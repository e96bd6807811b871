using System.Net;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Learning.FunctionalTests.Accounts;

/// <summary>Links and codes appear in the mail and nowhere else: not in audit metadata, read-model rows or stored state.</summary>
[Collection(ConfirmingCollection.Name)]
public sealed class SecretLeakTests(ConfirmingApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private Mailbox Mail => factory.Mailbox;

    [Fact]
    public async Task No_token_or_code_is_audited_listed_or_left_in_the_stored_state()
    {
        var session = await _api.SignUp();
        var secrets = new List<string> { Mailbox.Token(await Mail.Latest(session.Email, Mailbox.VerifySubject)) };
        await _api.RequestReset(session.Email);
        secrets.Add(Mailbox.Token(await Mail.Latest(session.Email, Mailbox.ResetSubject)));
        (await _api.RegisterDevice(session, "laptop")).AssertStatus(HttpStatusCode.Accepted);
        var code = Mailbox.Code(await Mail.Latest(session.Email, Mailbox.DeviceCodeSubject));
        (await _api.ConfirmDevice(session, "laptop", code == "000000" ? "111111" : "000000")).AssertStatus(HttpStatusCode.BadRequest);
        (await _api.ConfirmDevice(session, "laptop", code)).AssertStatus(HttpStatusCode.Created);
        (await _api.VerifyEmail(secrets[0])).AssertStatus(HttpStatusCode.OK);
        var userId = await _api.UserId(session);

        var admin = await SignInAdmin();
        var seen = string.Join("\n",
            (await _api.Get($"/api/audit-logs?user_id={userId}&limit=200", admin.Access)).Body,
            (await _api.Get($"/api/admin/users?email={Uri.EscapeDataString(session.Email)}", admin.Access)).Body,
            (await _api.Get($"/api/admin/devices?user_id={userId}", admin.Access)).Body,
            (await _api.Get($"/api/admin/sessions?user_id={userId}", admin.Access)).Body);
        var stored = await StoredUserState.ReadAsync(factory, userId);
        var storedText = Convert.ToHexString(factory.Services.GetRequiredService<Serializer>().SerializeToArray(stored));

        Assert.Contains("device_confirmation_failed", seen);
        Assert.Contains("password_reset_requested", seen);
        foreach (var secret in secrets.Append(code))
        {
            Assert.DoesNotContain(secret, seen);
            Assert.DoesNotContain(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(secret)), storedText);
        }

        Assert.Empty(stored.MailOutbox);
    }

    [Fact]
    public async Task No_token_or_code_reaches_the_log()
    {
        var logFile = Path.Combine(Directory.CreateTempSubdirectory("learning-logs-").FullName, "api.log");
        var secrets = new List<string>();
        await using (var logged = new LoggedApiFactory(logFile))
        {
            var api = logged.CreateApiClient();
            var session = await api.SignUp();
            var verify = await logged.Mailbox.Latest(session.Email, Mailbox.VerifySubject);
            await new AccountPageClient(logged.CreateClient()).Open(Mailbox.Link(verify));
            await api.RequestReset(session.Email);
            var reset = await logged.Mailbox.Latest(session.Email, Mailbox.ResetSubject);
            await api.RegisterDevice(session, "laptop");
            var code = Mailbox.Code(await logged.Mailbox.Latest(session.Email, Mailbox.DeviceCodeSubject));
            var wrong = code == "000000" ? "111111" : "000000";
            await api.ConfirmDevice(session, "laptop", wrong);
            (await api.ConfirmDevice(session, "laptop", code)).AssertStatus(HttpStatusCode.Created);
            (await api.VerifyEmail(Mailbox.Token(verify))).AssertStatus(HttpStatusCode.OK);
            (await api.Reset(Mailbox.Token(reset), "velvet-harbour-quince-49")).AssertStatus(HttpStatusCode.NoContent);
            await api.VerifyEmail(Mailbox.Token(verify));
            secrets.AddRange([Mailbox.Token(verify), Mailbox.Token(reset), code, wrong, "velvet-harbour-quince-49"]);
        }

        var log = "";
        for (var attempt = 0; attempt < 50 && !log.Contains("\"Route\":\"/api/auth/password-reset\""); attempt++)
        {
            await Task.Delay(100);
            await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log = await new StreamReader(stream).ReadToEndAsync();
        }

        Assert.Contains("\"Route\":\"/api/auth/password-reset\"", log);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log));
    }

    private async Task<Session> SignInAdmin()
    {
        var demo = new Learning.Api.Seeding.DemoOptions();
        return Session.From(demo.AdminEmail, (await _api.Login(demo.AdminEmail, demo.AdminPassword)).AssertStatus(HttpStatusCode.OK));
    }

    private sealed class LoggedApiFactory(string logFile) : EmailApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
            [new("Devices:ConfirmNewDevices", "true"), new("Logging:File:Path", logFile)];
    }
}
