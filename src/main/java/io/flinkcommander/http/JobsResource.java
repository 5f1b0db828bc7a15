package io.flinkcommander.http;

import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.flinkcommander.catalog.CatalogEntry;
import io.flinkcommander.catalog.SavepointCatalog;
import io.flinkcommander.observe.JobDirectory;
import io.flinkcommander.observe.JobView;

/** The read side: jobs as this replica observes them, and their savepoint catalog. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    /** One job, as {@code GET /api/jobs} lists it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record JobSummary(String namespace, String name, String kind, String lifecycleState, String jobState,
            Long parallelism, CatalogEntry lastSavepoint) {
    }

    private final JobDirectory jobs;
    private final SavepointCatalog catalog;

    public JobsResource(JobDirectory jobs, SavepointCatalog catalog) {
        this.jobs = jobs;
        this.catalog = catalog;
    }

    @GET
    public List<JobSummary> all() {
        return jobs.jobs().stream().map(this::summary)
                .sorted(Comparator.comparing(JobSummary::namespace).thenComparing(JobSummary::name)).toList();
    }

    @GET
    @Path("{namespace}/{name}")
    public JobSummary one(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return jobs.job(namespace, name).map(this::summary)
                .orElseThrow(() -> new NotFoundException("no FlinkDeployment or FlinkSessionJob " + namespace + "/" + name));
    }

    /** Also for jobs that no longer exist: the catalog outlives the resources. */
    @GET
    @Path("{namespace}/{name}/savepoints")
    public List<CatalogEntry> savepoints(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return catalog.of(namespace + "/" + name);
    }

    private JobSummary summary(JobView job) {
        CatalogEntry last = catalog.of(job.subject()).stream().filter(e -> "SAVEPOINT".equals(e.kind())).findFirst()
                .orElseGet(() -> job.savepoints().isEmpty() ? null : legacy(job));
        return new JobSummary(job.namespace(), job.name(), job.kind(), job.lifecycle(), job.jobState(),
                job.parallelism(), last);
    }

    /** The job's own newest savepoint, before the catalog has caught up with it. */
    private static CatalogEntry legacy(JobView job) {
        JobView.LegacySavepoint newest = job.savepoints().get(job.savepoints().size() - 1);
        return new CatalogEntry(null, job.subject(), null, "SAVEPOINT", newest.triggerType(), newest.formatType(),
                newest.location(), null, newest.time().toString());
    }
}
