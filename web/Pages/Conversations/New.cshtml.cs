using System.ComponentModel.DataAnnotations;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Authentication;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Conversations;

/// <summary>
/// Starting a conversation: staff choose one of their care teams' patients, a patient writes to
/// their own team. The same form is the New Message dialog (fetched by a script) and, without
/// scripts, a page of its own.
/// </summary>
public sealed class NewModel(ConversationsClient conversations) : PageModel
{
    [BindProperty]
    public NewConversationForm Form { get; set; } = new();

    public IReadOnlyList<PatientView> Patients { get; private set; } = [];

    public bool ForStaff { get; private set; }

    /// <summary>Shown when the request could not be completed for a reason that no field explains.</summary>
    public string? FormError => ModelState.TryGetValue(string.Empty, out var entry) ? entry.Errors.FirstOrDefault()?.ErrorMessage : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    /// <summary>The form alone, for the dialog.</summary>
    public async Task<IActionResult> OnGetFormAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Partial("_NewMessageForm", this);

    /// <summary>The patient picker's options for what the user typed (posted: a name stays out of addresses).</summary>
    public async Task<IActionResult> OnPostPatientsAsync([FromForm] string? q, CancellationToken cancellationToken)
    {
        if (!CareMessagingCaller.From(User).IsStaff)
        {
            return Forbid();
        }

        // Refused here with the limit, as the service would refuse it, and never with the earlier matches still shown.
        if (PatientSearchProblem(q) is { } tooLong)
        {
            return new ContentResult { StatusCode = StatusCodes.Status400BadRequest, Content = tooLong, ContentType = "text/plain; charset=utf-8" };
        }

        var patients = await conversations.PatientsAsync(q, cancellationToken: cancellationToken);
        return patients.Succeeded
            ? Partial("_PatientOptions", new PatientOptions(patients.Value!, SelectedPatientId: null))
            : this.FromProblem(patients.Problem!);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = CareMessagingCaller.From(User);
        if (user.IsPatient)
        {
            // A patient always writes about themselves.
            Form.PatientId = user.PatientId;
            ModelState.Remove($"{nameof(Form)}.{nameof(NewConversationForm.PatientId)}");
        }
        else if (!user.IsStaff)
        {
            return Forbid();
        }

        Form.Topic = Form.Topic?.Trim();
        if (Form.Topic is { Length: > 0 and (< ConversationLimits.TopicMinLength or > ConversationLimits.TopicMaxLength) })
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(NewConversationForm.Topic)}",
                $"A topic is {ConversationLimits.TopicMinLength} to {ConversationLimits.TopicMaxLength} characters.");
        }

        if (ModelState.IsValid)
        {
            var started = await conversations.StartAsync(new StartConversationRequest(
                Form.PatientId, Form.Topic, Form.Body, (Form.ClientMessageId == Guid.Empty ? Guid.NewGuid() : Form.ClientMessageId).ToString()),
                cancellationToken);
            if (started.Succeeded)
            {
                var url = $"{user.HomePath}/{started.Value!.Id}";
                return Request.IsFetch() ? new JsonResult(new { url }) : LocalRedirect(url);
            }

            if (started.Problem!.Status is StatusCodes.Status401Unauthorized)
            {
                return this.FromProblem(started.Problem);
            }

            ModelState.AddProblem(started.Problem, FieldKeys);
        }

        // Shown again with the messages beside the fields and nothing the user typed lost.
        var failed = await LoadAsync(cancellationToken);
        if (failed is not null)
        {
            return failed;
        }

        if (Request.IsFetch())
        {
            var form = Partial("_NewMessageForm", this);
            form.StatusCode = StatusCodes.Status400BadRequest;
            return form;
        }

        return Page();
    }

    /// <summary>A patient search the service would refuse (it trims, then counts), said the way the inbox's search says it.</summary>
    public static string? PatientSearchProblem(string? query) =>
        query?.Trim() is { Length: > ConversationLimits.SearchMaxLength } tooLong
            ? $"A search can be at most {ConversationLimits.SearchMaxLength} characters; this one has {tooLong.Length}. Search for a shorter part of the name or patient ID."
            : null;

    public string? ErrorFor(string field) =>
        ModelState.TryGetValue($"{nameof(Form)}.{field}", out var entry) ? entry.Errors.FirstOrDefault()?.ErrorMessage : null;

    /// <summary>The service names fields by their JSON names; these are where they sit in this form.</summary>
    private static readonly string[] FieldKeys =
        [$"{nameof(Form)}.{nameof(NewConversationForm.PatientId)}", $"{nameof(Form)}.{nameof(NewConversationForm.Topic)}", $"{nameof(Form)}.{nameof(NewConversationForm.Body)}"];

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var user = CareMessagingCaller.From(User);
        ForStaff = user.IsStaff;
        if (!user.IsStaff && !user.IsPatient)
        {
            return Forbid();
        }

        if (Form.ClientMessageId == Guid.Empty)
        {
            Form.ClientMessageId = Guid.NewGuid();
        }

        if (ForStaff)
        {
            var patients = await conversations.PatientsAsync(cancellationToken: cancellationToken);
            if (!patients.Succeeded)
            {
                return this.FromProblem(patients.Problem!);
            }

            Patients = patients.Value!;
        }

        return null;
    }
}

/// <summary>What the New Message form asks for.</summary>
public sealed class NewConversationForm
{
    private string? _body;

    [Required(ErrorMessage = "Choose the patient this conversation is about.")]
    public string? PatientId { get; set; }

    [Required(ErrorMessage = "Enter a topic, for example “Blood test results”.")]
    public string? Topic { get; set; }

    [Required(ErrorMessage = "Write the first message.")]
    [StringLength(ConversationLimits.BodyMaxLength, ErrorMessage = "A message can be at most {1} characters. Shorten it or split it into several messages.")]
    public string? Body { get => _body; set => _body = MessageText.AsStored(value); }

    /// <summary>Makes a resubmitted form (a double click, a retry) start one conversation, not two.</summary>
    public Guid ClientMessageId { get; set; }
}

/// <summary>The patient picker's options and which one is chosen.</summary>
public sealed record PatientOptions(IReadOnlyList<PatientView> Patients, string? SelectedPatientId);
