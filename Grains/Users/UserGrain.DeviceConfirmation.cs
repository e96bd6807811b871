using Learning.Accounts;
using Learning.Audit;
using Learning.Common;
using Learning.Devices;
using Learning.Email.Codes;

namespace Learning.Users;

/// <summary>
/// With <c>Devices:ConfirmNewDevices</c>, a register or transfer to a device the user never confirmed waits here for
/// the code mailed to the account; the device rules apply when the code is accepted.
/// </summary>
public sealed partial class UserGrain
{
    private static readonly Failure ConfirmationNotFound =
        new(ErrorCodes.ConfirmationNotFound, "No register or transfer of this device is waiting for a code.");

    private static readonly Failure CodeExpired = new(ErrorCodes.CodeExpired, "This code has expired; ask for a new one.");

    public async Task<Result<DeviceOutcome>> ConfirmDevice(Caller caller, string deviceId, string code)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        switch (DeviceCodeRules.DecideConfirm(State.DeviceConfirmations, deviceId, DeviceCodeHash(deviceId, code), Now))
        {
            case ConfirmDecision.NotFound:
                return ConfirmationNotFound;

            case ConfirmDecision.Expired:
                return CodeExpired;

            case ConfirmDecision.RateLimited(var wait):
                return new Failure(ErrorCodes.RateLimited, "Too many wrong codes in the last hour; try again later.")
                {
                    RetryAfterSeconds = LockoutRules.RetryAfterSeconds(wait),
                };

            case ConfirmDecision.Wrong(var next, var attemptsLeft):
                State.DeviceConfirmations = next;
                Audit(AuditActions.DeviceConfirmationFailed, caller.Client, AuditMetadata.Of(("device_id", deviceId), ("attempts_left", attemptsLeft)));
                await CommitAsync();
                return attemptsLeft == 0
                    ? CodeExpired
                    : new Failure(ErrorCodes.InvalidCode, "The code is not the one we mailed.") { AttemptsLeft = attemptsLeft };

            case ConfirmDecision.Accepted(var next, var pending):
                State.DeviceConfirmations = next;
                var outcome = pending.Operation == DeviceOperation.Register
                    ? ApplyRegister(pending.Device, caller.Client)
                    : ApplyTransfer(pending.Device, caller.Client);
                // Stored even when the register is refused: the code is used up and the device confirmed either way.
                await CommitAsync();
                return outcome;

            default:
                throw new InvalidOperationException("Unknown confirm decision.");
        }
    }

    public async Task<Result<DeviceConfirmationRequired>> ResendDeviceCode(Caller caller, string deviceId)
    {
        if (Authorize(caller) is { } refused)
        {
            return refused;
        }

        var now = Now;
        if (DeviceCodeRules.PendingFor(State.DeviceConfirmations, deviceId, now) is not { } pending)
        {
            return ConfirmationNotFound;
        }

        if (DeviceCodeRules.ResendWait(pending, now) is { } wait)
        {
            return ResendTooSoon(wait);
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        var sent = SendDeviceCode(pending.Operation, pending.Device, caller.Client);
        await CommitAsync();
        return Required(sent);
    }

    private bool NeedsConfirmation(string deviceId) =>
        DeviceSettings.ConfirmNewDevices && !DeviceCodeRules.IsConfirmed(State.DeviceConfirmations, State.Devices, deviceId);

    /// <summary>
    /// Mails a code for the operation, unless one was mailed for this device less than a minute ago: then the newest
    /// request becomes what that code will do, and no mail goes out (a client's retries cannot flood the mailbox).
    /// </summary>
    private async Task<Result<DeviceOutcome>> RequireConfirmation(DeviceOperation operation, RegisterDevice request, ClientInfo client)
    {
        var now = Now;
        var waiting = DeviceCodeRules.PendingFor(State.DeviceConfirmations, request.DeviceId, now);
        if (waiting is not null && DeviceCodeRules.ResendWait(waiting, now) is not null)
        {
            (State.DeviceConfirmations, var retargeted) = DeviceCodeRules.Retarget(State.DeviceConfirmations, waiting, operation, request);
            if (retargeted != waiting)
            {
                await CommitAsync();
            }

            return Required(retargeted);
        }

        var sent = SendDeviceCode(operation, request, client);
        await CommitAsync();
        return Required(sent);
    }

    private PendingDeviceConfirmation SendDeviceCode(DeviceOperation operation, RegisterDevice device, ClientInfo client)
    {
        var code = OneTimeSecrets.NewCode();
        var account = State.Account!;
        (State.DeviceConfirmations, var pending) = DeviceCodeRules.Issue(State.DeviceConfirmations, operation, device, DeviceCodeHash(device.DeviceId, code), Now);
        Mail(composer.DeviceCode(UserId, account.Email, account.FullName, device.DeviceName, code, Now));
        Audit(AuditActions.DeviceConfirmationSent, client, AuditMetadata.Of(
            ("device_id", device.DeviceId), ("device_name", device.DeviceName), ("platform", device.Platform.WireName()),
            ("operation", operation == DeviceOperation.Register ? "register" : "transfer")));
        return pending;
    }

    private DeviceConfirmationRequired Required(PendingDeviceConfirmation pending) =>
        new(pending.Device.DeviceId, pending.ExpiresInSeconds(Now), pending.ResendAfterSeconds(Now));

    private string DeviceCodeHash(string deviceId, string code) => OneTimeSecrets.Hash(SecretPurposes.DeviceCode, UserId, code, deviceId);

    /// <summary>Verification links and device codes alike: at most one mail a minute.</summary>
    private static Failure ResendTooSoon(TimeSpan wait) =>
        new(ErrorCodes.ResendTooSoon, "We mailed you less than a minute ago; check your inbox before asking again.")
        {
            RetryAfterSeconds = LockoutRules.RetryAfterSeconds(wait),
        };
}
