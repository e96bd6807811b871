using Learning.Common;
using Learning.Devices;

namespace Learning.Administration;

/// <summary>The rules of operators' commands on one user, kept apart from the grain so they are tested alone.</summary>
public static class AdministrationRules
{
    /// <summary>
    /// The status of each requested device (once per id, in the order asked) and the devices to deactivate: only active
    /// ones change, so a repeat of the same request deactivates and audits nothing twice.
    /// </summary>
    public static (IReadOnlyList<DeviceDeactivation> Statuses, IReadOnlyList<Device> ToDeactivate) PlanDeactivation(
        IReadOnlyList<Device> devices, IEnumerable<Guid> requested)
    {
        var statuses = new List<DeviceDeactivation>();
        var toDeactivate = new List<Device>();
        foreach (var id in requested.Distinct())
        {
            var device = devices.FirstOrDefault(d => d.Id == id);
            var status = device switch
            {
                null => DeactivationStatuses.NotFound,
                { IsActive: false } => DeactivationStatuses.AlreadyInactive,
                _ => DeactivationStatuses.Deactivated,
            };
            if (status == DeactivationStatuses.Deactivated)
            {
                toDeactivate.Add(device!);
            }

            statuses.Add(new DeviceDeactivation(id, status));
        }

        return (statuses, toDeactivate);
    }

    /// <summary>
    /// An admin may not disable their own account: with the last admin disabled nobody could enable anyone again.
    /// </summary>
    public static Failure? RefuseDisable(Guid userId, Guid actorId) =>
        userId == actorId ? new Failure(ErrorCodes.Forbidden, "You cannot disable your own account.") : null;
}
