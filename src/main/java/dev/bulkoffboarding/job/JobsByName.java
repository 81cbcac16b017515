package dev.bulkoffboarding.job;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.configuration.DuplicateJobException;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * The job registry of the {@code JobOperator}: it finds a job bean by its name when it is asked for
 * it. Without a registry of ours, Spring Batch fills one with every job bean when it creates the
 * operator, and so builds the offboarding job, its submit step and the Quipteams HTTP client even
 * for {@code validate}, which uses none of them (see {@link dev.bulkoffboarding.CommandLineStartup}).
 */
@Component
class JobsByName implements JobRegistry {

    private final ListableBeanFactory beans;

    private final Map<String, Job> registered = new ConcurrentHashMap<>();

    JobsByName(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public Job getJob(String name) {
        Job job = this.registered.get(name);
        if (job != null) {
            return job;
        }
        return (name != null && this.beans.containsBean(name) && this.beans.isTypeMatch(name, Job.class))
                ? this.beans.getBean(name, Job.class) : null;
    }

    @Override
    public Collection<String> getJobNames() {
        Set<String> names = new TreeSet<>(this.registered.keySet());
        // allowEagerInit=false: naming the jobs must not build them
        names.addAll(Arrays.asList(this.beans.getBeanNamesForType(Job.class, false, false)));
        return names;
    }

    @Override
    public void register(Job job) throws DuplicateJobException {
        if (this.registered.putIfAbsent(job.getName(), job) != null) {
            throw new DuplicateJobException("A job named " + job.getName() + " is already registered");
        }
    }

    @Override
    public void unregister(String name) {
        this.registered.remove(name);
    }

}
