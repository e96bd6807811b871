using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Accounts;

[Collection(EmailCollection.Name)]
public sealed class SecurityNoticeTests(EmailApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private Mailbox Mail => factory.Mailbox;

    [Fact]
    public async Task A_password_change_mails_a_notice()
    {
        var session = await _api.SignUp();

        (await _api.Post("/api/auth/password", new { current_password = ApiClient.Password, new_password = "velvet-harbour-quince-49" }, session.Access))
            .AssertStatus(HttpStatusCode.NoContent);

        await Mail.WaitFor(session.Email, Mailbox.PasswordChangedSubject);
    }

    [Fact]
    public async Task A_lockout_mails_one_notice_however_often_the_locked_account_is_tried()
    {
        var session = await _api.SignUp();
        for (var i = 0; i < 8; i++)
        {
            await _api.Login(session.Email, "wrong-password-0");
        }

        await Mail.WaitFor(session.Email, Mailbox.LockedSubject);
        await Mail.AssertCount(session.Email, Mailbox.LockedSubject, 1);

        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 5; i++)
        {
            await _api.Login(session.Email, "wrong-password-0");
        }

        await Mail.WaitFor(session.Email, Mailbox.LockedSubject, count: 2);
    }

    [Fact]
    public async Task A_device_the_account_never_had_becoming_active_mails_a_notice()
    {
        var (session, first) = await _api.SignUpWithDevice("laptop");
        await Mail.WaitFor(session.Email, Mailbox.NewDeviceSubject);

        (await _api.RegisterDevice(session, first)).AssertStatus(HttpStatusCode.OK);
        (await _api.Transfer(session, "phone")).AssertStatus(HttpStatusCode.OK);
        await Mail.WaitFor(session.Email, Mailbox.NewDeviceSubject, count: 2);
        (await _api.Transfer(session, first)).AssertStatus(HttpStatusCode.OK);

        await Mail.AssertCount(session.Email, Mailbox.NewDeviceSubject, 2);
        Assert.Contains("Device phone", Mailbox.Text((await Mail.WaitFor(session.Email, Mailbox.NewDeviceSubject, count: 2))[1]));
    }
}
