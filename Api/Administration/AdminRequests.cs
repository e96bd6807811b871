using Learning.Api.Http;

namespace Learning.Api.Administration;

/// <summary>The body of <c>POST /api/admin/devices/deactivate</c>: 1 to 100 device ids (ours) and why.</summary>
public sealed record BulkDeactivateRequest(IReadOnlyList<string?>? Ids, string? Reason) : IRequestBody
{
    public const int MaxIds = 100;
    public const int MaxReasonLength = 500;

    public void Validate(RequestErrors errors)
    {
        if (Ids is not { Count: > 0 and <= MaxIds })
        {
            errors.Add("ids", Ids is null ? "This field is required." : $"Give 1 to {MaxIds} device ids.");
        }
        else if (Ids.Any(id => !Guid.TryParse(id, out _)))
        {
            errors.Add("ids", "Every id must be a device's UUID.");
        }

        errors.RequireText("reason", Reason, MaxReasonLength);
    }

    /// <summary>The ids, each once, in the order given.</summary>
    public IReadOnlyList<Guid> DeviceIds() => Ids!.Select(id => Guid.Parse(id!)).Distinct().ToList();
}
