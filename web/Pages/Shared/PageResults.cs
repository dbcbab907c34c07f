using CareMessaging.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>How a page answers when a service reports a problem.</summary>
public static class PageResults
{
    /// <summary>
    /// The service's verdict becomes the page's: not found stays not found (no hint that the
    /// conversation exists), an expired token signs the user in again, a failing service is a 503.
    /// </summary>
    public static IActionResult FromProblem(this PageModel page, ApiProblem problem) => problem.Status switch
    {
        StatusCodes.Status401Unauthorized => page.Challenge(),
        StatusCodes.Status403Forbidden => page.Forbid(),
        StatusCodes.Status404NotFound => page.NotFound(),
        >= 500 => page.StatusCode(StatusCodes.Status503ServiceUnavailable),
        _ => page.StatusCode(problem.Status),
    };

    /// <summary>
    /// Puts the service's field errors beside this form's fields. The service names a field by its
    /// JSON name (<c>topic</c>), the form by its model-state key (<c>Form.Topic</c>): they match on the
    /// key's last part, case-insensitively. An error for a field the form does not show is said at the top.
    /// </summary>
    public static void AddProblem(this ModelStateDictionary modelState, ApiProblem problem, params string[] fields)
    {
        var placed = false;
        foreach (var (key, messages) in problem.Errors)
        {
            var field = fields.FirstOrDefault(f => string.Equals(f[(f.LastIndexOf('.') + 1)..], key, StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
            foreach (var message in messages)
            {
                modelState.AddModelError(field, message);
                placed = true;
            }
        }

        if (!placed)
        {
            modelState.AddModelError(string.Empty, problem.Detail ?? problem.Title);
        }
    }
}
