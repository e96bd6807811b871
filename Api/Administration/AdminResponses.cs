using Learning.Access;
using Learning.Accounts;
using Learning.Administration;
using Learning.Audit;
using Learning.Devices;
using Learning.ReadModel;

namespace Learning.Api.Administration;

public sealed record AccessDecisionResponse(bool HasAccess, string? Source, DateTimeOffset? Until);

/// <summary>The user's access as <c>GET /api/subscription</c> shows it.</summary>
public sealed record AdminAccessResponse(
    string Status, string? PlanId, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset? TrialEnd,
    AccessDecisionResponse Access);

public sealed record AdminGrantResponse(Guid Id, DateTimeOffset Until, string Reason, DateTimeOffset CreatedAt, Guid ActorId);

/// <summary>
/// One user as the users listing shows them, except that <c>live_sessions</c> lists the sessions (as the sessions
/// listing does) instead of counting them; plus what only the detail shows.
/// </summary>
public sealed record UserDetailResponse(
    Guid Id, string Email, string FullName, Role Role, DateTimeOffset CreatedAt, int ActiveDevices, IReadOnlyList<SessionRow> LiveSessions,
    bool EmailVerified, DateTimeOffset? LockedUntil, bool Disabled, IReadOnlyList<Device> Devices, AdminAccessResponse Access,
    IReadOnlyList<AdminGrantResponse> Grants)
{
    public static UserDetailResponse From(UserDetail detail, AccessView access)
    {
        var user = detail.Profile;
        return new UserDetailResponse(
            user.Id, user.Email, user.FullName, user.Role, user.CreatedAt, detail.Devices.Count(d => d.IsActive),
            [.. detail.LiveSessions.Select(s => new SessionRow(
                s.Id, user.Id, user.Email, s.DeviceId, s.DeviceName, s.LessonId, s.LessonTitle, s.StartedAt, s.LastHeartbeat, s.ExpiresAt,
                EndedAt: null, EndReason: null, s.WatchTimeSeconds, Live: true))],
            user.EmailVerified, detail.LockedUntil, detail.Disabled, [.. detail.Devices.OrderByDescending(d => d.LastAccessed)],
            new AdminAccessResponse(access.Status, access.PlanId, access.CurrentPeriodEnd, access.CancelAtPeriodEnd, access.TrialEnd,
                new AccessDecisionResponse(access.Access.HasAccess, access.Access.Source, access.Access.Until)),
            [.. access.Grants.Select(g => new AdminGrantResponse(g.Id, g.Until, g.Reason, g.CreatedAt, g.ActorId))]);
    }
}

public sealed record BulkDeactivateResponse(IReadOnlyList<DeviceDeactivation> Results);

public sealed record ActivatedDeviceResponse(string Message, Device Device);

/// <summary>A refused start (<c>video_start_refused</c>): which device tried, which one was playing, and what.</summary>
public sealed record PlaybackConflictResponse(
    Guid Id, Guid? UserId, string? UserEmail, string? DeviceId, string? DeviceName, string? PlayingDeviceName, Guid? LessonId,
    string? IpAddress, DateTimeOffset CreatedAt)
{
    public static PlaybackConflictResponse From(AuditEntry entry)
    {
        using var metadata = System.Text.Json.JsonDocument.Parse(entry.MetadataJson);
        string? Text(string name) =>
            metadata.RootElement.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
                ? value.GetString()
                : null;
        return new PlaybackConflictResponse(
            entry.Id, entry.UserId, entry.UserEmail, Text("device_id"), Text("device_name"), Text("playing_device_name"),
            Guid.TryParse(Text("lesson_id"), out var lessonId) ? lessonId : null, entry.IpAddress, entry.CreatedAt);
    }
}
