using System.Collections.Immutable;
using Learning.Devices;

namespace Learning.Email.Codes;

/// <summary>What a confirmed code will do: the register or transfer that asked for it.</summary>
[GenerateSerializer, Alias("email.device-operation")]
public enum DeviceOperation
{
    Register = 0,
    Transfer = 1,
}

/// <summary>A register or transfer waiting for the code mailed for it; the code is kept only as its hash.</summary>
[GenerateSerializer, Immutable, Alias("email.pending-device-confirmation")]
public sealed record PendingDeviceConfirmation(
    [property: Id(0)] DeviceOperation Operation,
    [property: Id(1)] RegisterDevice Device,
    [property: Id(2)] string CodeHash,
    [property: Id(3)] DateTimeOffset SentAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] int WrongAttempts)
{
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt || WrongAttempts >= DeviceCodeRules.AttemptsPerCode;

    /// <summary>Whole seconds until the code stops working (0 once it has).</summary>
    public int ExpiresInSeconds(DateTimeOffset now) => DeviceCodeRules.Seconds(IsExpired(now) ? TimeSpan.Zero : ExpiresAt - now);

    /// <summary>Whole seconds until another code may be sent (0 when it may be now).</summary>
    public int ResendAfterSeconds(DateTimeOffset now) => DeviceCodeRules.Seconds(SentAt + DeviceCodeRules.ResendInterval - now);
}

/// <summary>
/// A user's device confirmations: the pending ones (a few, newest first), the times of wrong codes in the last hour
/// (across devices), and devices confirmed by a code or by an admin (besides the devices the user has, which count as
/// confirmed).
/// </summary>
[GenerateSerializer, Immutable, Alias("email.device-confirmations")]
public sealed record DeviceConfirmations(
    [property: Id(0)] ImmutableList<PendingDeviceConfirmation> Pending,
    [property: Id(1)] ImmutableList<DateTimeOffset> WrongCodes,
    [property: Id(2)] ImmutableList<string> Confirmed)
{
    /// <summary>A fresh instance every time (see <c>LoginThrottle.None</c> for why state defaults are never shared).</summary>
    public static DeviceConfirmations None => new([], [], []);
}

public abstract record ConfirmDecision
{
    /// <summary>No register or transfer of this device waits for a code.</summary>
    public sealed record NotFound : ConfirmDecision;

    /// <summary>The code's five minutes are over, or its attempts used up: only a resend helps.</summary>
    public sealed record Expired : ConfirmDecision;

    /// <summary>Too many wrong codes in the last hour: nothing is compared until <see cref="RetryAfter"/> has passed.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter) : ConfirmDecision;

    /// <summary>A wrong code, counted; with no attempts left the code has just expired.</summary>
    public sealed record Wrong(DeviceConfirmations Next, int AttemptsLeft) : ConfirmDecision;

    /// <summary>The right code: the pending operation is taken out and the device is confirmed.</summary>
    public sealed record Accepted(DeviceConfirmations Next, PendingDeviceConfirmation Pending) : ConfirmDecision;
}

/// <summary>
/// The codes that confirm a new device: 6 digits, valid 5 minutes and for 3 attempts (the third wrong one expires the
/// code), a new code at most once a minute (it replaces the previous one), and at most 10 wrong codes an hour per user
/// across all devices.
/// </summary>
public static class DeviceCodeRules
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);
    public const int AttemptsPerCode = 3;
    public static readonly TimeSpan WrongCodeWindow = TimeSpan.FromHours(1);
    public const int WrongCodesPerWindow = 10;

    /// <summary>How long a pending operation is kept after its last code was sent; then it is forgotten.</summary>
    public static readonly TimeSpan PendingKept = TimeSpan.FromHours(1);

    /// <summary>Operations waiting at once; a new device beyond this pushes out the oldest.</summary>
    public const int PendingMax = 5;

    /// <summary>Devices remembered as confirmed besides the user's own devices (those dropped or refused included).</summary>
    public const int ConfirmedKept = 32;

    public static bool IsConfirmed(DeviceConfirmations state, IEnumerable<Device> devices, string deviceId) =>
        devices.Any(d => d.DeviceId == deviceId) || state.Confirmed.Contains(deviceId);

    public static DeviceConfirmations MarkConfirmed(DeviceConfirmations state, string deviceId) =>
        state with { Confirmed = [deviceId, .. state.Confirmed.Where(id => id != deviceId).Take(ConfirmedKept - 1)] };

    /// <summary>A deleted device is forgotten: coming back, it needs a code again.</summary>
    public static DeviceConfirmations Forget(DeviceConfirmations state, string deviceId) =>
        state with { Confirmed = state.Confirmed.Remove(deviceId), Pending = state.Pending.RemoveAll(p => p.Device.DeviceId == deviceId) };

    /// <summary>The operation waiting for this device, unless it was forgotten.</summary>
    public static PendingDeviceConfirmation? PendingFor(DeviceConfirmations state, string deviceId, DateTimeOffset now) =>
        state.Pending.Find(p => p.Device.DeviceId == deviceId && now - p.SentAt < PendingKept);

    /// <summary>How long until a new code may be sent for this pending operation, or null when it may be now.</summary>
    public static TimeSpan? ResendWait(PendingDeviceConfirmation pending, DateTimeOffset now) =>
        pending.SentAt + ResendInterval - now is { Ticks: > 0 } wait ? wait : null;

    /// <summary>A new code for the device: it replaces the device's previous code (and operation) with fresh attempts.</summary>
    public static (DeviceConfirmations Next, PendingDeviceConfirmation Pending) Issue(
        DeviceConfirmations state, DeviceOperation operation, RegisterDevice device, string codeHash, DateTimeOffset now)
    {
        var pending = new PendingDeviceConfirmation(operation, device, codeHash, now, now + Lifetime, WrongAttempts: 0);
        var others = Prune(state, now).Pending.Where(p => p.Device.DeviceId != device.DeviceId).Take(PendingMax - 1);
        return (state with { Pending = [pending, .. others] }, pending);
    }

    /// <summary>
    /// A repeated register or transfer before a new code may be sent: the newest request is what the code will do, and
    /// the code already mailed stays the one to type.
    /// </summary>
    public static (DeviceConfirmations Next, PendingDeviceConfirmation Pending) Retarget(
        DeviceConfirmations state, PendingDeviceConfirmation pending, DeviceOperation operation, RegisterDevice device)
    {
        var retargeted = pending with { Operation = operation, Device = device };
        return (state with { Pending = state.Pending.Replace(pending, retargeted) }, retargeted);
    }

    public static ConfirmDecision DecideConfirm(DeviceConfirmations state, string deviceId, string presentedHash, DateTimeOffset now)
    {
        state = Prune(state, now);
        if (PendingFor(state, deviceId, now) is not { } pending)
        {
            return new ConfirmDecision.NotFound();
        }

        if (pending.IsExpired(now))
        {
            return new ConfirmDecision.Expired();
        }

        if (state.WrongCodes.Count >= WrongCodesPerWindow)
        {
            return new ConfirmDecision.RateLimited(state.WrongCodes.Min() + WrongCodeWindow - now);
        }

        if (OneTimeSecrets.SameHash(pending.CodeHash, presentedHash))
        {
            var taken = state with { Pending = state.Pending.Remove(pending) };
            return new ConfirmDecision.Accepted(MarkConfirmed(taken, deviceId), pending);
        }

        var counted = pending with { WrongAttempts = pending.WrongAttempts + 1 };
        var next = state with
        {
            Pending = state.Pending.Replace(pending, counted),
            WrongCodes = [now, .. state.WrongCodes.Take(WrongCodesPerWindow - 1)],
        };
        return new ConfirmDecision.Wrong(next, AttemptsPerCode - counted.WrongAttempts);
    }

    /// <summary>Forgets pending operations past <see cref="PendingKept"/> and wrong codes older than the window.</summary>
    public static DeviceConfirmations Prune(DeviceConfirmations state, DateTimeOffset now) =>
        state with
        {
            Pending = state.Pending.RemoveAll(p => now - p.SentAt >= PendingKept),
            WrongCodes = state.WrongCodes.RemoveAll(at => now - at >= WrongCodeWindow),
        };

    /// <summary>Whole seconds, rounded up, never negative.</summary>
    public static int Seconds(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(span.TotalSeconds);
}
