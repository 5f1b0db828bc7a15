package io.flinkcommander.observe;

import java.util.List;
import java.util.Optional;

/** The jobs this replica sees now (FlinkDeployments and FlinkSessionJobs), from its watch caches. */
public interface JobDirectory {

    List<JobView> jobs();

    Optional<JobView> job(String namespace, String name);
}
