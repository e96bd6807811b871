using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Common;

namespace Learning.Api.Catalog;

/// <summary>
/// Who reads the public catalog: anyone, or an admin (who also sees unpublished courses). Only a token whose role
/// claim says admin costs a grain call, to confirm the account is an admin now and its family is live; anonymous and
/// student reads stay free of grain calls.
/// </summary>
public static class CatalogViewer
{
    public static async ValueTask<bool> IsAdminAsync(HttpContext http, IGrainFactory grains)
    {
        if (http.User.FindFirst(ClaimNames.Role)?.Value != RoleNames.Admin || http.Caller() is not { } caller)
        {
            return false;
        }

        var status = await grains.GetGrain<IUserGrain>(caller.UserId).CheckCaller(caller.FamilyId);
        return status is { State: CallerState.Live, Role: Role.Admin };
    }
}
