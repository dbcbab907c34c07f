using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Dashboard;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Patients;

/// <summary>A patient's profile for their care team: who they are and all their conversations.</summary>
public sealed class ProfileModel(ConversationsClient conversations, DashboardLoader dashboard) : PageModel
{
    public PatientView Patient { get; private set; } = default!;

    public ConversationListView Conversations { get; private set; } = default!;

    public async Task<IActionResult> OnGetAsync(string patientId, CancellationToken cancellationToken)
    {
        var unread = dashboard.LoadUnreadTotalAsync(cancellationToken);
        var profile = await conversations.PatientAsync(patientId, cancellationToken);
        if (!profile.Succeeded)
        {
            return this.FromProblem(profile.Problem!);
        }

        Patient = profile.Value!.Patient;
        Conversations = new ConversationListView(profile.Value.Conversations, NextCursor: null, ReadFilter.All, Query: null, SelectedId: null, ForStaff: true);
        ViewData["UnreadTotal"] = await unread;
        return Page();
    }
}
