using Learning.Api.Devices;
using Learning.Api.Http;

namespace Learning.Api.Playback;

public sealed record StartVideoRequest(string? LessonId, string? DeviceId, bool? Takeover = null) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("lesson_id", LessonId, 64);
        DeviceFields.ValidateDeviceId(errors, "device_id", DeviceId);
    }
}

public sealed record HeartbeatRequest(string? SessionToken, double? CurrentTime) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("session_token", SessionToken, 128);
        PlaybackPosition.Validate(errors, "current_time", CurrentTime);
    }
}

public sealed record EndVideoRequest(string? SessionToken, double? FinalTime) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("session_token", SessionToken, 128);
        PlaybackPosition.Validate(errors, "final_time", FinalTime);
    }
}

internal static class PlaybackPosition
{
    /// <summary>The lower bound only: the upper one depends on the lesson, which the user's grain knows.</summary>
    public static void Validate(RequestErrors errors, string field, double? seconds)
    {
        if (seconds is null)
        {
            errors.Add(field, "This field is required.");
        }
        else if (seconds < 0)
        {
            errors.Add(field, "Must not be negative.");
        }
    }
}
