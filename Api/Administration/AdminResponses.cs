using Learning.Access;
using Learning.Accounts;
using Learning.Api.Access;
using Learning.Administration;
using Learning.Audit;
using Learning.Devices;
using Learning.ReadModel;

namespace Learning.Api.Administration;

/// <summary>
/// One user as the users listing shows them, except that <c>live_sessions</c> lists the sessions (as the sessions
/// listing does) instead of counting them; plus what only the detail shows.
/// </summary>
public sealed record UserDetailResponse(
    Guid Id, string Email, string FullName, Role Role, DateTimeOffset CreatedAt, int ActiveDevices, IReadOnlyList<SessionRow> LiveSessions,
    bool EmailVerified, DateTimeOffset? LockedUntil, bool Disabled, IReadOnlyList<Device> Devices,
    AccessEndpoints.SubscriptionResponse Access, IReadOnlyList<AccessEndpoints.GrantResponse> Grants)
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
            AccessEndpoints.ToResponse(access), [.. access.Grants.Select(g => AccessEndpoints.ToResponse(g))]);
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
